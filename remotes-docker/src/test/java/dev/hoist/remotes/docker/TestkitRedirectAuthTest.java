package dev.hoist.remotes.docker;

import static dev.hoist.remotes.docker.TestkitFetches.stored;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.client.Client;
import dev.hoist.client.RemoteContext;
import dev.hoist.content.InMemoryContentStore;
import dev.hoist.errors.UnauthorizedException;
import dev.hoist.images.InMemoryImageStore;
import dev.hoist.spec.Descriptor;
import dev.hoist.testkit.Fault;
import dev.hoist.testkit.GeneratedImages;
import dev.hoist.testkit.ImageSpec;
import dev.hoist.testkit.LoggedRequest;
import dev.hoist.testkit.TestImage;
import dev.hoist.testkit.TestRegistry;
import dev.hoist.testkit.TestRegistryExtension;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Blob GETs on a Basic-auth testkit registry redirected to a second testkit registry (as a registry
 * redirects to its storage or CDN): the second server never sees the credentials.
 */
@Timeout(60)
class TestkitRedirectAuthTest {

  static final String USER = "alice";
  static final String PASSWORD = "s3cret-pw";

  @RegisterExtension
  static final TestRegistryExtension REGISTRY =
      new TestRegistryExtension(() -> TestRegistry.builder().basicAuth(USER, PASSWORD).start());

  @RegisterExtension static final TestRegistryExtension STORAGE = new TestRegistryExtension();

  static final TestImage IMAGE =
      GeneratedImages.random(ImageSpec.builder().layers(2, 16 * 1024).seed(11).build());

  final RecordingSleeper sleeper = new RecordingSleeper();
  final InMemoryContentStore store = new InMemoryContentStore();
  final InMemoryImageStore images = new InMemoryImageStore();
  final Client client = Client.builder().contentStore(store).imageStore(images).build();

  @BeforeAll
  static void push() {
    REGISTRY.registry().push("tk/private:1", IMAGE);
    STORAGE.registry().push("tk/private:1", IMAGE);
  }

  @AfterEach
  void closeClient() {
    client.close();
  }

  static TestRegistry registry() {
    return REGISTRY.registry();
  }

  static TestRegistry storage() {
    return STORAGE.registry();
  }

  static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  RemoteContext ctx(Authorizer forRegistry) {
    String host = registry().host();
    return RemoteContext.builder()
        .resolver(
            TestkitFetches.resolver(sleeper, h -> h.equals(host) ? forRegistry : Authorizer.NONE))
        .build();
  }

  @Test
  void redirectedBlobGetsCarryNoAuthorizationToTheOtherServer() throws Exception {
    registry().faults().add("GET", "/blobs/", Fault.redirectTo(storage()));
    FixedAuthorizer auth = new FixedAuthorizer(basic(USER, PASSWORD));

    client.fetch(registry().reference("tk/private:1"), ctx(auth));

    assertThat(stored(store)).isEqualTo(IMAGE.blobs().keySet());
    List<Descriptor> blobs = new ArrayList<>(IMAGE.configs());
    blobs.addAll(IMAGE.layers());
    List<LoggedRequest> first = registry().requestLog().entries();
    assertThat(first).hasSize(2 + blobs.size()); // HEAD tag, GET manifest, one 307 per blob
    assertThat(first)
        .allSatisfy(r -> assertThat(r.header("Authorization")).isEqualTo(LoggedRequest.REDACTED));
    assertThat(registry().requestLog().matching("GET", "/blobs/"))
        .hasSize(blobs.size())
        .allSatisfy(r -> assertThat(r.status()).isEqualTo(307));
    List<LoggedRequest> second = storage().requestLog().entries();
    assertThat(second)
        .hasSize(blobs.size())
        .allSatisfy(
            r -> {
              assertThat(r.method()).isEqualTo("GET");
              assertThat(r.status()).isEqualTo(200);
              assertThat(r.header("Authorization")).isNull();
            });
    assertThat(second)
        .extracting(LoggedRequest::path)
        .containsExactlyInAnyOrderElementsOf(
            blobs.stream().map(d -> "/v2/tk/private/blobs/" + d.digest()).toList());
  }

  @Test
  void aRedirectedTagResolveFallsBackToAGetAndTheOtherServerNeverSeesHeadOrCredentials()
      throws Exception {
    registry().faults().add(null, "^/v2/tk/private/", Fault.redirectTo(storage()));
    FixedAuthorizer auth = new FixedAuthorizer(basic(USER, PASSWORD));

    client.fetch(registry().reference("tk/private:1"), ctx(auth));

    assertThat(stored(store)).isEqualTo(IMAGE.blobs().keySet());
    assertThat(registry().requestLog().entries())
        .allSatisfy(
            r -> {
              assertThat(r.status()).isEqualTo(307);
              assertThat(r.header("Authorization")).isEqualTo(LoggedRequest.REDACTED);
            })
        .extracting(r -> r.method() + " " + r.path())
        .startsWith("HEAD /v2/tk/private/manifests/1", "GET /v2/tk/private/manifests/1");
    assertThat(storage().requestLog().entries())
        .hasSize(1 + IMAGE.blobs().size()) // the tag by GET, then every blob once
        .allSatisfy(
            r -> {
              assertThat(r.method()).isEqualTo("GET");
              assertThat(r.header("Authorization")).isNull();
            });
  }

  @Test
  void withoutCredentialsTheFetchIsUnauthorizedAndStoresNothing() {
    String ref = registry().reference("tk/private:1");

    assertThatThrownBy(() -> client.fetch(ref, ctx(Authorizer.NONE)))
        .isInstanceOf(UnauthorizedException.class)
        .hasMessageContaining("tk/private");

    assertThat(registry().requestLog().entries())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.status()).isEqualTo(401);
              assertThat(r.header("Authorization")).isNull();
            });
    assertThat(images.list()).isEmpty();
  }

  @Test
  void aWrongPasswordIsUnauthorizedAndNeverLeaksIntoTheMessage() throws Exception {
    String wrong = basic(USER, "wrong-pw");
    String ref = registry().reference("tk/private:1");

    assertThatThrownBy(() -> client.fetch(ref, ctx(new FixedAuthorizer(wrong))))
        .isInstanceOf(UnauthorizedException.class)
        .satisfies(
            e ->
                assertThat(e.getMessage())
                    .doesNotContain(wrong.substring(6))
                    .doesNotContain("wrong-pw"));

    assertThat(stored(store)).isEmpty();
    assertThat(images.list()).isEmpty();
  }
}
