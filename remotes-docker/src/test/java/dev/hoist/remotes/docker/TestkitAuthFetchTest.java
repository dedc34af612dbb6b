package dev.hoist.remotes.docker;

import static dev.hoist.remotes.docker.TestkitFetches.stored;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.client.Client;
import dev.hoist.client.RemoteContext;
import dev.hoist.content.InMemoryContentStore;
import dev.hoist.errors.UnauthorizedException;
import dev.hoist.images.Image;
import dev.hoist.platforms.Platforms;
import dev.hoist.remotes.docker.auth.CredentialsProvider;
import dev.hoist.remotes.docker.auth.DockerAuthorizer;
import dev.hoist.testkit.GeneratedImages;
import dev.hoist.testkit.ImageSpec;
import dev.hoist.testkit.LoggedRequest;
import dev.hoist.testkit.TestImage;
import dev.hoist.testkit.TestRegistry;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Authenticated pulls through {@link DockerAuthorizer} against the testkit's Basic and Bearer
 * modes.
 */
@Timeout(60)
class TestkitAuthFetchTest {

  private static final String USER = "bob";
  private static final String PASSWORD = "t0ps3cret-value";
  private static final TestImage IMAGE =
      GeneratedImages.random(
          ImageSpec.builder()
              .platforms("linux/amd64", "linux/arm64/v8")
              .layers(3, 8 * 1024)
              .seed(21)
              .build());

  private static TestRegistry basic;
  private static TestRegistry bearer;

  @BeforeAll
  static void start() {
    basic = TestRegistry.builder().basicAuth(USER, PASSWORD).start();
    bearer = TestRegistry.builder().bearerAuth(USER, PASSWORD).start();
    basic.push("team/app:1", IMAGE);
    bearer.push("team/app:1", IMAGE);
  }

  @AfterAll
  static void stop() {
    basic.close();
    bearer.close();
  }

  @BeforeEach
  void clearLogs() {
    basic.requestLog().clear();
    bearer.requestLog().clear();
  }

  @Test
  void basicAuthPullSucceedsAndEveryBlobRequestCarriesCredentials() throws Exception {
    InMemoryContentStore store = new InMemoryContentStore();

    Image image = fetch(basic, store, PASSWORD);

    assertThat(image.target().digest()).isEqualTo(IMAGE.root().digest());
    assertThat(stored(store)).isEqualTo(IMAGE.blobs().keySet());
    List<LoggedRequest> blobGets = basic.requestLog().matching("GET", "/blobs/");
    assertThat(blobGets)
        .hasSize(IMAGE.configs().size() + IMAGE.layers().size())
        .allSatisfy(r -> assertThat(r.header("Authorization")).isEqualTo(LoggedRequest.REDACTED));
  }

  @Test
  void bearerPullOfManyBlobsAsksForOneTokenAndSucceeds() throws Exception {
    InMemoryContentStore store = new InMemoryContentStore();

    fetch(bearer, store, PASSWORD);

    assertThat(stored(store)).isEqualTo(IMAGE.blobs().keySet());
    assertThat(bearer.requestLog().matching(null, "^/token")).hasSize(1);
    assertThat(bearer.requestLog().matching("GET", "/blobs/"))
        .allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
  }

  @Test
  void bearerPullWithAWrongPasswordIsUnauthorizedWithoutTheSecretAndStoresNothing()
      throws Exception {
    InMemoryContentStore store = new InMemoryContentStore();

    assertThatThrownBy(() -> fetch(bearer, store, "wrong-" + PASSWORD))
        .isInstanceOf(UnauthorizedException.class)
        .hasMessageContaining(bearer.host())
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(PASSWORD));
    assertThat(store.exists(IMAGE.root().digest())).isFalse();
  }

  private static Image fetch(TestRegistry registry, InMemoryContentStore store, String password)
      throws Exception {
    DockerAuthorizer auth =
        DockerAuthorizer.builder()
            .credentials(CredentialsProvider.of(registry.host(), USER, password))
            .build();
    RemoteContext ctx =
        RemoteContext.builder()
            .resolver(TestkitFetches.resolver(new RecordingSleeper(), host -> auth))
            .platformMatcher(Platforms.all())
            .build();
    try (Client client = Client.builder().contentStore(store).build()) {
      return client.fetch(registry.reference("team/app:1"), ctx);
    }
  }
}
