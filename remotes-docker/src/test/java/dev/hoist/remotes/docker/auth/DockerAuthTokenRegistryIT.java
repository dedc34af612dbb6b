package dev.hoist.remotes.docker.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.client.Client;
import dev.hoist.client.RemoteContext;
import dev.hoist.content.InMemoryContentStore;
import dev.hoist.digest.Digest;
import dev.hoist.errors.UnauthorizedException;
import dev.hoist.images.Image;
import dev.hoist.platforms.Platforms;
import dev.hoist.remotes.Resolved;
import dev.hoist.remotes.docker.DockerFetcher;
import dev.hoist.remotes.docker.DockerResolver;
import dev.hoist.remotes.docker.testing.DistributionRegistry;
import dev.hoist.remotes.docker.testing.RegistryPusher;
import dev.hoist.testing.TestImages;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Token auth end to end: Docker's distribution registry configured with {@code auth.token} trusting
 * a certificate made at test time, and {@link TokenServer} issuing RS256 JWTs.
 */
@Timeout(60)
class DockerAuthTokenRegistryIT {

  static final String REPO = "private/app";
  static final String PASSWORD = "s3cret-Token-Pw";

  static TokenServer tokens;
  static DistributionRegistry registry;
  static Path dir;
  static TestImage image;
  static final TestImages MULTI =
      TestImages.builder()
          .platforms("linux/amd64", "linux/arm64/v8")
          .sharedLayer()
          .seed("auth-multi")
          .build();

  @BeforeAll
  static void start() throws Exception {
    tokens = new TokenServer("alice", PASSWORD);
    dir = Files.createTempDirectory("hoist-token-it");
    Path bundle = dir.resolve("root.pem");
    tokens.writeRootCertBundle(bundle);
    registry =
        DistributionRegistry.builder()
            .tokenAuth(tokens.realm(), TokenServer.SERVICE, TokenServer.ISSUER, bundle)
            .build();
    registry.start();
    String push = "Bearer " + tokens.mint(REPO, List.of("pull", "push"));
    image = TestImage.push(RegistryPusher.to(registry).withAuthorization(() -> push), REPO, "v1");
    String pushMulti = "Bearer " + tokens.mint("private/multi", List.of("pull", "push"));
    RegistryPusher.to(registry)
        .withAuthorization(() -> pushMulti)
        .push("private/multi", "1", MULTI);
  }

  @AfterAll
  static void stop() throws Exception {
    if (registry != null) {
      registry.close();
    }
    if (tokens != null) {
      tokens.close();
    }
    if (dir != null) {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @BeforeEach
  void resetCounters() {
    tokens.getRequests.set(0);
    tokens.postRequests.set(0);
    tokens.refused.set(0);
  }

  DockerResolver resolver(DockerAuthorizer auth) {
    return DockerResolver.builder().authorizer(h -> auth).build();
  }

  @Test
  void pullSucceedsWithTheRightPasswordThroughOauthPost() throws Exception {
    DockerAuthorizer auth =
        DockerAuthorizer.builder()
            .credentials(CredentialsProvider.of(registry.hostPort(), "alice", PASSWORD))
            .build();
    DockerResolver resolver = resolver(auth);

    Resolved r = resolver.resolve(registry.hostPort() + "/" + REPO + ":v1");
    DockerFetcher f = resolver.fetcher(r.name());
    try (InputStream in = f.fetch(image.layer())) {
      assertThat(in.readAllBytes()).isEqualTo(image.layerBytes());
    }

    assertThat(r.descriptor()).isEqualTo(image.manifest());
    assertThat(tokens.postRequests.get()).isEqualTo(1); // one token for the repository, reused
    assertThat(tokens.getRequests.get()).isZero();
  }

  @Test
  void pullSucceedsWithBasicAuthOnGetWhenOauthIsOff() throws Exception {
    DockerAuthorizer auth =
        DockerAuthorizer.builder()
            .oauthForPasswords(false)
            .credentials(CredentialsProvider.of(registry.hostPort(), "alice", PASSWORD))
            .build();

    Resolved r = resolver(auth).resolve(registry.hostPort() + "/" + REPO + ":v1");

    assertThat(r.descriptor().digest()).isEqualTo(image.manifest().digest());
    assertThat(tokens.getRequests.get()).isEqualTo(1);
  }

  @Test
  void clientFetchOfAMultiPlatformImageUsesOneTokenForAllConcurrentBlobs() throws Exception {
    DockerAuthorizer auth =
        DockerAuthorizer.builder()
            .credentials(CredentialsProvider.of(registry.hostPort(), "alice", PASSWORD))
            .build();
    InMemoryContentStore store = new InMemoryContentStore();
    String ref = registry.hostPort() + "/private/multi:1";

    try (Client client = Client.builder().contentStore(store).build()) {
      Image fetched =
          client.fetch(
              ref,
              RemoteContext.builder()
                  .resolver(resolver(auth))
                  .platformMatcher(Platforms.all())
                  .maxConcurrentDownloads(4)
                  .build());
      assertThat(fetched.target()).isEqualTo(MULTI.root());
    }

    Set<Digest> stored = new HashSet<>();
    store.walk(info -> true, info -> stored.add(info.digest()));
    assertThat(stored).isEqualTo(MULTI.blobs().keySet());
    assertThat(tokens.postRequests.get()).isEqualTo(1);
  }

  @Test
  void wrongPasswordFailsCleanlyWithoutTheSecret() {
    DockerAuthorizer auth =
        DockerAuthorizer.builder()
            .credentials(CredentialsProvider.of(registry.hostPort(), "alice", "not-" + PASSWORD))
            .build();

    assertThatThrownBy(() -> resolver(auth).resolve(registry.hostPort() + "/" + REPO + ":v1"))
        .isInstanceOf(UnauthorizedException.class)
        .hasMessageContaining(REPO)
        .hasMessageContaining("HTTP 401")
        .hasMessageNotContaining(PASSWORD);
    assertThat(tokens.refused.get()).isEqualTo(2); // the POST, then containerd's GET fallback
  }

  @Test
  void anonymousPullOfAPrivateRepositoryIsUnauthorized() {
    DockerAuthorizer anonymous = DockerAuthorizer.builder().build();

    assertThatThrownBy(() -> resolver(anonymous).resolve(registry.hostPort() + "/" + REPO + ":v1"))
        .isInstanceOf(UnauthorizedException.class)
        .hasMessage(
            "pull access denied for "
                + REPO
                + " on "
                + registry.hostPort()
                + ": registry answered 401 insufficient_scope"
                + " for anonymous access (repository does not exist or may require authorization)");
    assertThat(tokens.getRequests.get()).isEqualTo(1);
  }
}
