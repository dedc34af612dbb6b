package dev.hoist.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.content.local.LocalContentStore;
import dev.hoist.errors.HoistException;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.remotes.docker.Authorizer;
import dev.hoist.remotes.docker.auth.DockerAuthorizer;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.MediaTypes;
import dev.hoist.testkit.Fault;
import dev.hoist.testkit.FaultRule;
import dev.hoist.testkit.GeneratedImages;
import dev.hoist.testkit.ImageSpec;
import dev.hoist.testkit.TestImage;
import dev.hoist.testkit.TestRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Hostile HTTP replies and references: typed errors, bounded work, nothing outside the store. */
@Timeout(60)
class ProtocolHostileInputTest {

  @TempDir Path dir;

  private Throwable fetchFails(LocalContentStore store, String ref) {
    return fetchFails(store, ref, Authorizer.NONE);
  }

  private Throwable fetchFails(LocalContentStore store, String ref, Authorizer authorizer) {
    Throwable[] thrown = new Throwable[1];
    assertThatThrownBy(
            () ->
                Fetches.fetch(
                    store,
                    ref,
                    Fetches.resolver(new RecordingSleeper()).authorizer(h -> authorizer).build()))
        .isInstanceOf(HoistException.class)
        .satisfies(t -> thrown[0] = t);
    return thrown[0];
  }

  private LocalContentStore store() throws IOException {
    return LocalContentStore.open(dir.resolve("store"));
  }

  @Test
  void endlessManifestWithoutContentLengthIsCutOffAtTheLimit() throws Exception {
    AtomicLong written = new AtomicLong();
    byte[] chunk = new byte[64 << 10];
    Arrays.fill(chunk, (byte) ' ');
    try (RawServer server =
        new RawServer(
            ex -> {
              ex.getResponseHeaders().add("Content-Type", MediaTypes.OCI_MANIFEST);
              if (ex.getRequestMethod().equals("HEAD")) {
                ex.sendResponseHeaders(
                    200, -1); // no Content-Length, no digest: the client must GET
                return;
              }
              ex.sendResponseHeaders(200, 0); // chunked
              try (OutputStream out = ex.getResponseBody()) {
                out.write('{');
                while (written.get() < (256L << 20)) {
                  out.write(chunk);
                  written.addAndGet(chunk.length);
                }
              }
            })) {
      Throwable t = fetchFails(store(), server.host() + "/evil/app:1");

      assertThat(t)
          .isInstanceOf(InvalidArgumentException.class)
          .hasMessageContaining("manifest limit");
      // The client stopped reading soon after the limit, not at the end of the 256 MiB stream.
      assertThat(written.get()).isLessThan(64L << 20);
    }
  }

  @Test
  void megabyteWwwAuthenticateHeaderEndsInABoundedTypedError() throws Exception {
    String challenge =
        "Bearer realm=\"http://127.0.0.1:1/token\",service=\"x\",scope=\""
            + "a".repeat(1 << 20)
            + "\"";
    try (RawServer server =
        new RawServer(
            ex -> {
              ex.getResponseHeaders().add("WWW-Authenticate", challenge);
              ex.sendResponseHeaders(401, -1);
            })) {
      Throwable t = fetchFails(store(), server.host() + "/evil/app:1");

      assertThat(t.getMessage()).hasSizeLessThan(10_000).contains(server.host());
    }
  }

  @Test
  void megabyteChallengeThroughHoistsAuthorizerEndsInABoundedTypedError() throws Exception {
    String challenge =
        "Bearer realm=\"http://127.0.0.1:1/token\",service=\"x\",scope=\""
            + "a".repeat(1 << 20)
            + "\"";
    try (RawServer server =
        new RawServer(
            ex -> {
              ex.getResponseHeaders().add("WWW-Authenticate", challenge);
              ex.sendResponseHeaders(401, -1);
            })) {
      Throwable t =
          fetchFails(store(), server.host() + "/evil/app:1", DockerAuthorizer.builder().build());

      assertThat(t.getMessage()).hasSizeLessThan(10_000).contains(server.host());
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "<html><body>Service Unavailable</body></html>",
        "{\"token\":",
        "[1,2,3]",
        "{\"token\":{\"nested\":true}}",
        ""
      })
  void tokenResponseThatIsNotATokenIsATypedErrorNamingTheTokenServer(String body) throws Exception {
    try (RawServer server =
        new RawServer(
            ex -> {
              if (ex.getRequestURI().getPath().startsWith("/token")) {
                byte[] b = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                ex.getResponseHeaders().add("Content-Type", "application/json");
                ex.sendResponseHeaders(200, b.length == 0 ? -1 : b.length);
                if (b.length > 0) {
                  ex.getResponseBody().write(b);
                }
                return;
              }
              String realm =
                  "http://"
                      + ex.getLocalAddress().getHostString()
                      + ":"
                      + ex.getLocalAddress().getPort()
                      + "/token";
              ex.getResponseHeaders()
                  .add("WWW-Authenticate", "Bearer realm=\"" + realm + "\",service=\"evil\"");
              ex.sendResponseHeaders(401, -1);
            })) {
      Throwable t =
          fetchFails(store(), server.host() + "/evil/app:1", DockerAuthorizer.builder().build());

      assertThat(t).isInstanceOf(HoistException.class);
      assertThat(t.getMessage())
          .hasSizeLessThan(10_000)
          .contains("token response from " + server.host());
    }
  }

  @Test
  void redirectLoopEndsAfterTheRedirectLimit() throws Exception {
    try (TestRegistry registry = TestRegistry.start()) {
      TestImage image = GeneratedImages.random(ImageSpec.builder().seed(51).build());
      registry.push("team/app:1", image);
      Descriptor layer = image.layers().get(0);
      // Every GET of the layer redirects to itself.
      registry
          .faults()
          .add(FaultRule.on("GET", layer.digest() + "$").inject(Fault.redirectTo(registry)));

      Throwable t = fetchFails(store(), registry.reference("team/app:1"));

      assertThat(t).isInstanceOf(InvalidArgumentException.class).hasMessageContaining("redirects");
      assertThat(Fetches.gets(registry, layer.digest()).size()).isLessThanOrEqualTo(11);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "file:///etc/passwd",
        "ftp://127.0.0.1/blob",
        "jar:file:/tmp/x.jar!/a",
        "gopher://127.0.0.1:70/"
      })
  void redirectToANonHttpUrlIsRefused(String location) throws Exception {
    try (TestRegistry registry = TestRegistry.start()) {
      TestImage image = GeneratedImages.random(ImageSpec.builder().seed(52).build());
      registry.push("team/app:1", image);
      Descriptor layer = image.layers().get(0);
      registry
          .faults()
          .add(
              FaultRule.on("GET", layer.digest() + "$")
                  .inject(Fault.redirectExactly(URI.create(location))));
      LocalContentStore store = store();

      Throwable t = fetchFails(store, registry.reference("team/app:1"));

      assertThat(t)
          .isInstanceOf(InvalidArgumentException.class)
          .hasMessageContaining("refusing redirect");
      assertThat(Fetches.has(store, layer.digest())).isFalse();
      try (Stream<Path> s = Files.list(dir)) {
        assertThat(s.toList()).containsExactly(dir.resolve("store"));
      }
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/team/app:1\r\nX-Injected: yes",
        "/team/app:1\nX-Injected: yes",
        "/team/app\r\nX-Injected: yes:1",
        "/team/app@sha256:0000000000000000000000000000000000000000000000000000000000000000\r\nX: y",
        "/team/../../app:1"
      })
  void headerInjectionThroughTheReferenceIsRefusedBeforeAnyRequest(String suffix) throws Exception {
    try (TestRegistry registry = TestRegistry.start()) {
      Throwable t = fetchFails(store(), registry.host() + suffix);

      assertThat(t).isInstanceOf(InvalidArgumentException.class);
      assertThat(registry.requestLog().entries()).isEmpty();
    }
  }
}
