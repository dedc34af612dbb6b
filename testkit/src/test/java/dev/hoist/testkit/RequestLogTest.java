package dev.hoist.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class RequestLogTest {

  @Test
  void recordsMethodPathQueryStatusAndBytes() throws IOException {
    try (TestRegistry registry = TestRegistry.start()) {
      TestImage image = GeneratedImages.random(ImageSpec.builder().layers(1, 2048).build());
      registry.push("team/app:1", image);
      Http http = new Http(registry);

      http.get(
          "/v2/team/app/blobs/" + image.layers().get(0).digest() + "?ns=docker.io",
          "Range",
          "bytes=48-");
      http.head("/v2/team/app/manifests/nope");

      assertThat(registry.requestLog().entries()).hasSize(2);
      LoggedRequest blob = registry.requestLog().entries().get(0);
      assertThat(blob.method()).isEqualTo("GET");
      assertThat(blob.path()).isEqualTo("/v2/team/app/blobs/" + image.layers().get(0).digest());
      assertThat(blob.query()).isEqualTo("ns=docker.io");
      assertThat(blob.header("range")).isEqualTo("bytes=48-");
      assertThat(blob.status()).isEqualTo(206);
      assertThat(blob.bytesSent()).isEqualTo(2000);
      LoggedRequest head = registry.requestLog().entries().get(1);
      assertThat(head.status()).isEqualTo(404);
      assertThat(head.bytesSent()).isZero();
      assertThat(registry.requestLog().totalBytesSent()).isEqualTo(2000);
    }
  }

  @Test
  void authorizationValuesAreRedacted() throws IOException {
    try (TestRegistry registry = TestRegistry.builder().basicAuth("alice", "hunter2").start()) {
      String basic =
          "Basic "
              + Base64.getEncoder()
                  .encodeToString("alice:hunter2".getBytes(StandardCharsets.UTF_8));
      Http http = new Http(registry);

      http.get("/v2/", "Authorization", basic);
      http.get("/v2/", "Authorization", "Bearer tok3n-value");
      // java.net.http drops Proxy-Authorization on direct requests, so send it raw
      try (RawHttp raw =
          new RawHttp(registry, "/v2/", "Proxy-Authorization: Basic cHJveHk6cHc=\r\n")) {
        raw.in.readAllBytes();
      }

      assertThat(registry.requestLog().entries().subList(0, 2))
          .allSatisfy(r -> assertThat(r.header("Authorization")).isEqualTo("<redacted>"));
      assertThat(registry.requestLog().entries().get(2).header("Proxy-Authorization"))
          .isEqualTo("<redacted>");
      String everything =
          registry.requestLog().entries().toString()
              + registry.requestLog().entries().get(0).headers()
              + registry.requestLog().entries().get(2).headers();
      assertThat(everything)
          .doesNotContain("hunter2")
          .doesNotContain(basic.substring(6))
          .doesNotContain("tok3n")
          .doesNotContain("cHJveHk6cHc=");
      assertThat(registry.requestLog().entries())
          .extracting(LoggedRequest::status)
          .containsExactly(200, 401, 401);
    }
  }

  @Test
  void clearForgetsEntriesAndMatchingFilters() throws IOException {
    try (TestRegistry registry = TestRegistry.start()) {
      Http http = new Http(registry);
      http.get("/v2/");
      http.get("/v2/a/manifests/x");

      assertThat(registry.requestLog().matching("GET", "/manifests/")).hasSize(1);
      assertThat(registry.requestLog().matching("HEAD", "/manifests/")).isEmpty();
      registry.requestLog().clear();
      assertThat(registry.requestLog().entries()).isEmpty();
    }
  }

  @Test
  void anErrorIsLoggedBeforeItsStatusLineReachesTheClient() throws IOException {
    try (TestRegistry registry = TestRegistry.builder().basicAuth("alice", "hunter2").start()) {
      // 20 bytes/s keeps the error body in flight for seconds after the head was sent
      registry.faults().add(FaultRule.on("GET", "^/v2/$").inject(Fault.bandwidth(20)));

      try (RawHttp raw = new RawHttp(registry, "/v2/")) {
        // A client may answer a 401 (or follow a redirect) from the head alone: by then the
        // entry must be there, or its next request could be logged first.
        assertThat(raw.head).startsWith("HTTP/1.1 401");
        assertThat(registry.requestLog().entries())
            .singleElement()
            .satisfies(r -> assertThat(r.status()).isEqualTo(401))
            .satisfies(r -> assertThat(r.bytesSent()).isPositive());
      }
    }
  }
}
