package dev.hoist.remotes.docker;

import static dev.hoist.remotes.docker.TestkitFetches.blobGets;
import static dev.hoist.remotes.docker.TestkitFetches.stored;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.client.Client;
import dev.hoist.client.RemoteContext;
import dev.hoist.content.InMemoryContentStore;
import dev.hoist.errors.UnavailableException;
import dev.hoist.images.InMemoryImageStore;
import dev.hoist.spec.Descriptor;
import dev.hoist.testkit.Fault;
import dev.hoist.testkit.FaultRule;
import dev.hoist.testkit.GeneratedImages;
import dev.hoist.testkit.ImageSpec;
import dev.hoist.testkit.LoggedRequest;
import dev.hoist.testkit.TestImage;
import dev.hoist.testkit.TestRegistry;
import dev.hoist.testkit.TestRegistryExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * 503 and 429 from the testkit registry during {@code Client.fetch}: retried, with the waits
 * recorded, not slept.
 */
@Timeout(60)
class TestkitRetryTest {

  @RegisterExtension static final TestRegistryExtension REGISTRY = new TestRegistryExtension();

  static final TestImage IMAGE =
      GeneratedImages.random(ImageSpec.builder().layers(2, 32 * 1024).seed(10).build());

  final RecordingSleeper sleeper = new RecordingSleeper();
  final InMemoryContentStore store = new InMemoryContentStore();
  final InMemoryImageStore images = new InMemoryImageStore();
  final Client client = Client.builder().contentStore(store).imageStore(images).build();

  @BeforeAll
  static void push() {
    REGISTRY.registry().push("tk/retry:1", IMAGE);
  }

  @AfterEach
  void closeClient() {
    client.close();
  }

  static TestRegistry registry() {
    return REGISTRY.registry();
  }

  RemoteContext ctx() {
    return RemoteContext.builder().resolver(TestkitFetches.resolver(sleeper)).build();
  }

  static Descriptor layer() {
    return IMAGE.layers().get(0);
  }

  @Test
  void aBlobAnswering503OnceIsFetchedOnTheSecondRequestAfterOneBackoff() throws Exception {
    FaultRule once =
        registry()
            .faults()
            .add(
                FaultRule.on("GET", "/blobs/" + layer().digest())
                    .first(1)
                    .inject(Fault.status(503)));

    client.fetch(registry().reference("tk/retry:1"), ctx());

    assertThat(stored(store)).isEqualTo(IMAGE.blobs().keySet());
    assertThat(registry().faults().applied(once)).isEqualTo(1);
    List<LoggedRequest> gets = blobGets(registry(), layer().digest());
    assertThat(gets).extracting(LoggedRequest::status).containsExactly(503, 200);
    assertThat(sleeper.waits).containsExactly(TestkitFetches.FAST_RETRIES.baseBackoff());
  }

  @Test
  void aResolveAnswering503OnceIsRetried() throws Exception {
    registry()
        .faults()
        .add(FaultRule.on("HEAD", "/manifests/1$").first(1).inject(Fault.status(503)));

    client.fetch(registry().reference("tk/retry:1"), ctx());

    assertThat(registry().requestLog().matching("HEAD", ""))
        .extracting(LoggedRequest::status)
        .containsExactly(503, 200);
    assertThat(registry().requestLog().entries()).hasSize(2 + IMAGE.blobs().size());
    assertThat(sleeper.waits).hasSize(1);
  }

  @Test
  void a429WithRetryAfterWaitsTheAnnouncedTime() throws Exception {
    registry()
        .faults()
        .add(
            FaultRule.on("GET", "/blobs/" + layer().digest())
                .first(1)
                .inject(Fault.status(429, Duration.ofSeconds(7))));

    client.fetch(registry().reference("tk/retry:1"), ctx());

    assertThat(stored(store)).isEqualTo(IMAGE.blobs().keySet());
    assertThat(blobGets(registry(), layer().digest()))
        .extracting(LoggedRequest::status)
        .containsExactly(429, 200);
    assertThat(sleeper.waits).containsExactly(Duration.ofSeconds(7));
  }

  @Test
  void aBlobThatStaysUnavailableFailsAfterTheAttemptsAndRecordsNoImage() throws Exception {
    registry().faults().add("GET", "/blobs/" + layer().digest(), Fault.status(503));
    String ref = registry().reference("tk/retry:1");

    assertThatThrownBy(() -> client.fetch(ref, ctx()))
        .isInstanceOf(UnavailableException.class)
        .hasMessageContaining("503")
        .hasMessageContaining("3 attempts");

    assertThat(blobGets(registry(), layer().digest()))
        .hasSize(TestkitFetches.FAST_RETRIES.maxAttempts());
    assertThat(sleeper.waits).hasSize(TestkitFetches.FAST_RETRIES.maxAttempts() - 1);
    assertThat(stored(store)).doesNotContain(layer().digest());
    assertThat(images.list()).isEmpty();
  }
}
