package dev.hoist.remotes.docker;

import static dev.hoist.remotes.docker.TestkitFetches.stored;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.client.Client;
import dev.hoist.client.RemoteContext;
import dev.hoist.content.InMemoryContentStore;
import dev.hoist.digest.Digest;
import dev.hoist.errors.DigestMismatchException;
import dev.hoist.errors.FailedPreconditionException;
import dev.hoist.errors.NotFoundException;
import dev.hoist.images.InMemoryImageStore;
import dev.hoist.testkit.Fault;
import dev.hoist.testkit.FaultRule;
import dev.hoist.testkit.GeneratedImages;
import dev.hoist.testkit.ImageSpec;
import dev.hoist.testkit.TestImage;
import dev.hoist.testkit.TestRegistry;
import dev.hoist.testkit.TestRegistryExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A registry whose {@code Docker-Content-Digest} lies when a reference is resolved: a typed error,
 * nothing stored.
 */
@Timeout(60)
class TestkitLyingDigestTest {

  @RegisterExtension static final TestRegistryExtension REGISTRY = new TestRegistryExtension();

  static final TestImage IMAGE =
      GeneratedImages.random(
          ImageSpec.builder()
              .platforms("linux/amd64", "linux/arm64/v8")
              .layers(1, 4096)
              .seed(9)
              .build());

  /** A digest of nothing the registry holds. */
  static final Digest LIE = Digest.sha256("not the manifest");

  final RecordingSleeper sleeper = new RecordingSleeper();
  final InMemoryContentStore store = new InMemoryContentStore();
  final InMemoryImageStore images = new InMemoryImageStore();
  final Client client = Client.builder().contentStore(store).imageStore(images).build();

  @BeforeAll
  static void push() {
    REGISTRY.registry().push("tk/lies:1", IMAGE);
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

  @Test
  void aDigestReferenceWhoseHeadNamesAnotherDigestIsAMismatch() throws Exception {
    registry().faults().add("HEAD", "/manifests/", Fault.digestHeader(LIE));
    String ref = registry().reference("tk/lies@" + IMAGE.root().digest());

    assertThatThrownBy(() -> client.fetch(ref, ctx()))
        .isInstanceOf(FailedPreconditionException.class)
        .hasMessageContaining(LIE.toString())
        .hasMessageContaining(IMAGE.root().digest().toString())
        .hasCauseInstanceOf(DigestMismatchException.class);

    assertThat(stored(store)).isEmpty();
    assertThat(images.list()).isEmpty();
    assertThat(registry().requestLog().matching("GET", ""))
        .as("nothing fetched after the lie")
        .isEmpty();
  }

  @Test
  void aTagWhoseHeadDigestLiesFetchesNothingButTheLie() throws Exception {
    // A tag names no digest, so the header cannot be checked at resolve time; the lie then names
    // content the registry does not have.
    registry().faults().add("HEAD", "/manifests/1$", Fault.digestHeader(LIE));
    String ref = registry().reference("tk/lies:1");

    assertThatThrownBy(() -> client.fetch(ref, ctx()))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining(LIE.toString());

    assertThat(stored(store)).isEmpty();
    assertThat(images.list()).isEmpty();
    assertThat(registry().requestLog().matching("GET", ""))
        .singleElement()
        .satisfies(r -> assertThat(r.path()).isEqualTo("/v2/tk/lies/manifests/" + LIE));
  }

  @Test
  void aGetFallbackWhoseHeaderContradictsTheBodyIsAMismatch() throws Exception {
    registry().faults().add(FaultRule.on("HEAD", "/manifests/1$").inject(Fault.status(405)));
    registry().faults().add("GET", "/manifests/1$", Fault.digestHeader(LIE));
    String ref = registry().reference("tk/lies:1");

    assertThatThrownBy(() -> client.fetch(ref, ctx()))
        .isInstanceOf(FailedPreconditionException.class)
        .hasMessageContaining(LIE.toString())
        .hasCauseInstanceOf(DigestMismatchException.class);

    assertThat(stored(store)).isEmpty();
    assertThat(images.list()).isEmpty();
  }
}
