package dev.hoist.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.digest.Digest;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.spec.Descriptor;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class FaultsTest {

  private static final TestImage IMAGE =
      GeneratedImages.random(ImageSpec.builder().layers(1, 100_000).seed(3).build());
  private static final Descriptor LAYER = IMAGE.layers().get(0);

  private TestRegistry registry;
  private Http http;
  private byte[] layerBytes;
  private String blobPath;

  @BeforeEach
  void start() throws IOException {
    registry = TestRegistry.start();
    registry.push("team/app:1", IMAGE);
    http = new Http(registry);
    layerBytes = IMAGE.bytes(LAYER);
    blobPath = "/v2/team/app/blobs/" + LAYER.digest();
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  @Test
  void statusFaultAnswersWithRetryAfterAndErrorBody() throws IOException {
    registry.faults().add("GET", "/blobs/", Fault.status(429, Duration.ofSeconds(7)));

    HttpResponse<byte[]> r = http.get(blobPath);

    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(Http.header(r, "Retry-After")).isEqualTo("7");
    assertThat(Http.text(r)).contains("TOOMANYREQUESTS");
  }

  @Test
  void firstNAppliesToTheFirstMatchingRequestsOnly() throws IOException {
    FaultRule rule =
        registry.faults().add(FaultRule.on("GET", "/blobs/").first(2).inject(Fault.status(503)));

    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      statuses.add(http.get(blobPath).statusCode());
    }
    int manifest = http.get("/v2/team/app/manifests/1").statusCode();

    assertThat(statuses).containsExactly(503, 503, 200);
    assertThat(manifest).isEqualTo(200);
    assertThat(registry.faults().matched(rule)).isEqualTo(3);
    assertThat(registry.faults().applied(rule)).isEqualTo(2);
  }

  @Test
  void everyNthAppliesToEachNthMatchingRequest() throws IOException {
    registry.faults().add(FaultRule.on(null, "/manifests/").everyNth(3).inject(Fault.status(500)));

    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      statuses.add(http.head("/v2/team/app/manifests/1").statusCode());
    }

    assertThat(statuses).containsExactly(200, 200, 500, 200, 200, 500);
  }

  @Test
  void methodMustMatch() throws IOException {
    registry.faults().add("HEAD", "/blobs/", Fault.status(500));

    assertThat(http.get(blobPath).statusCode()).isEqualTo(200);
    assertThat(http.head(blobPath).statusCode()).isEqualTo(500);
  }

  @Test
  void scheduleIsExactUnderConcurrentRequests() throws Exception {
    FaultRule rule =
        registry.faults().add(FaultRule.on("GET", "/blobs/").first(5).inject(Fault.status(503)));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int i = 0; i < 24; i++) {
        results.add(pool.submit(() -> http.get(blobPath).statusCode()));
      }
      int failed = 0;
      for (Future<Integer> f : results) {
        failed += f.get() == 503 ? 1 : 0;
      }

      assertThat(failed).isEqualTo(5);
      assertThat(registry.faults().matched(rule)).isEqualTo(24);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void dropAfterClosesTheConnectionMidBody() {
    registry.faults().add("GET", "/blobs/", Fault.dropAfter(4096));

    assertThatThrownBy(() -> http.get(blobPath)).isInstanceOf(IOException.class);
    LoggedRequest logged = registry.requestLog().matching("GET", "/blobs/").get(0);
    assertThat(logged.status()).isEqualTo(200);
    assertThat(logged.bytesSent()).isEqualTo(4096);
  }

  @Test
  void dropAfterDeliversExactlyThePrefix() throws IOException {
    registry.faults().add("GET", "/blobs/", Fault.dropAfter(1000));

    try (RawHttp raw = new RawHttp(registry, blobPath)) {
      byte[] got = raw.in.readAllBytes();

      assertThat(raw.head).contains("Content-length: 100000");
      assertThat(got).isEqualTo(Arrays.copyOf(layerBytes, 1000));
    }
  }

  @Test
  void stallHoldsTheBodyUntilReleased() throws IOException {
    registry.faults().add("GET", "/blobs/", Fault.stall(1000, Duration.ofMinutes(5)));

    try (RawHttp raw = new RawHttp(registry, blobPath)) {
      byte[] prefix = raw.in.readNBytes(1000);
      raw.socket.setSoTimeout(300);
      assertThatThrownBy(() -> raw.in.read()).isInstanceOf(SocketTimeoutException.class);

      registry.faults().releaseStalls();
      raw.socket.setSoTimeout(10_000);
      byte[] rest = raw.in.readAllBytes();

      assertThat(prefix).isEqualTo(Arrays.copyOf(layerBytes, 1000));
      assertThat(rest).isEqualTo(Arrays.copyOfRange(layerBytes, 1000, layerBytes.length));
    }
  }

  @Test
  void stallEndsByItselfAfterItsDuration() throws IOException {
    registry.faults().add("GET", "/blobs/", Fault.stall(0, Duration.ofMillis(200)));
    long start = System.nanoTime();

    HttpResponse<byte[]> r = http.get(blobPath);

    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(200));
    assertThat(r.body()).isEqualTo(layerBytes);
  }

  @Test
  void corruptByteFlipsExactlyThatByte() throws IOException {
    registry.faults().add("GET", "/blobs/", Fault.corruptByte(12_345));

    byte[] got = http.get(blobPath).body();

    byte[] expected = layerBytes.clone();
    expected[12_345] ^= (byte) 0xff;
    assertThat(got).isEqualTo(expected);
    assertThat(Digest.sha256(got)).isNotEqualTo(LAYER.digest());
  }

  @Test
  void shorterContentLengthLieTruncatesTheBody() throws IOException {
    registry.faults().add("GET", "/blobs/", Fault.contentLength(10));

    HttpResponse<byte[]> r = http.get(blobPath);

    assertThat(Http.header(r, "Content-Length")).isEqualTo("10");
    assertThat(r.body()).isEqualTo(Arrays.copyOf(layerBytes, 10));
  }

  @Test
  void longerContentLengthLieEndsInAClosedConnection() throws IOException {
    registry.faults().add("GET", "/blobs/", Fault.contentLength(200_000));

    try (RawHttp raw = new RawHttp(registry, blobPath)) {
      byte[] got = raw.in.readAllBytes();

      assertThat(raw.head).contains("Content-length: 200000");
      assertThat(got).isEqualTo(layerBytes);
    }
  }

  @Test
  void contentLengthLieAppliesToHeadToo() throws IOException {
    registry.faults().add("HEAD", "/manifests/", Fault.contentLength(1));

    assertThat(Http.header(http.head("/v2/team/app/manifests/1"), "Content-Length")).isEqualTo("1");
  }

  @Test
  void digestHeaderLieReplacesTheHeaderOnly() throws IOException {
    Digest lie = Digest.sha256("lie");
    registry.faults().add(null, "/manifests/", Fault.digestHeader(lie));

    HttpResponse<byte[]> r = http.get("/v2/team/app/manifests/1");

    assertThat(Http.header(r, "Docker-Content-Digest")).isEqualTo(lie.toString());
    assertThat(r.body()).isEqualTo(IMAGE.bytes(IMAGE.root()));
  }

  @Test
  void redirectSendsBlobGetsToASecondRegistry() throws IOException {
    try (TestRegistry cdn = TestRegistry.start()) {
      cdn.push("team/app:1", IMAGE);
      registry.faults().add("GET", "/blobs/", Fault.redirectTo(cdn));

      HttpResponse<byte[]> redirect = http.get(blobPath + "?x=1");
      HttpResponse<byte[]> followed = new Http(registry, HttpClient.Redirect.NORMAL).get(blobPath);

      assertThat(redirect.statusCode()).isEqualTo(307);
      assertThat(Http.header(redirect, "Location")).isEqualTo(cdn.url() + blobPath + "?x=1");
      assertThat(followed.body()).isEqualTo(layerBytes);
      assertThat(registry.requestLog().matching("GET", "/blobs/"))
          .extracting(LoggedRequest::status)
          .containsExactly(307, 307);
      assertThat(cdn.requestLog().matching("GET", "/blobs/"))
          .singleElement()
          .extracting(LoggedRequest::status)
          .isEqualTo(200);
    }
  }

  @Test
  void redirectExactlyUsesTheGivenLocation() throws IOException {
    URI presigned = URI.create("http://127.0.0.1:1/bucket/object?signature=abc");
    registry.faults().add("GET", "/blobs/", Fault.redirectExactly(presigned));

    assertThat(Http.header(http.get(blobPath), "Location")).isEqualTo(presigned.toString());
  }

  @Test
  void ignoreRangeAnswers200WithTheWholeBlob() throws IOException {
    registry.faults().add("GET", "/blobs/", Fault.ignoreRange());

    HttpResponse<byte[]> r = http.get(blobPath, "Range", "bytes=500-");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(Http.header(r, "Content-Range")).isNull();
    assertThat(r.body()).isEqualTo(layerBytes);
  }

  @Test
  void bandwidthLimitPacesTheBody() throws IOException {
    registry.faults().add("GET", "/blobs/", Fault.bandwidth(400_000));
    long start = System.nanoTime();

    HttpResponse<byte[]> r = http.get(blobPath);

    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(250));
    assertThat(r.body()).isEqualTo(layerBytes);
  }

  @Test
  void removedAndClearedRulesStopApplying() throws IOException {
    FaultRule rule = registry.faults().add("GET", "/blobs/", Fault.status(500));
    int with = http.get(blobPath).statusCode();
    boolean removed = registry.faults().remove(rule);
    registry.faults().add("GET", "/manifests/", Fault.status(500));
    registry.faults().clear();

    assertThat(with).isEqualTo(500);
    assertThat(removed).isTrue();
    assertThat(registry.faults().rules()).isEmpty();
    assertThat(http.get(blobPath).statusCode()).isEqualTo(200);
    assertThat(http.get("/v2/team/app/manifests/1").statusCode()).isEqualTo(200);
  }

  @Test
  void faultsRefuseBadParameters() {
    assertThatThrownBy(() -> Fault.status(99))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("99");
    assertThatThrownBy(() -> Fault.dropAfter(-1)).isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> Fault.bandwidth(0)).isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> Fault.stall(0, Duration.ofSeconds(-1)))
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> FaultRule.on("GET", "x").first(0))
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> FaultRule.on("GET", "("))
        .isInstanceOf(java.util.regex.PatternSyntaxException.class);
  }

  @Test
  void closeEndsAStallInProgress() throws Exception {
    registry.faults().add("GET", "/blobs/", Fault.stall(10, Duration.ofMinutes(5)));
    try (RawHttp raw = new RawHttp(registry, blobPath)) {
      byte[] prefix = raw.in.readNBytes(10);
      raw.socket.setSoTimeout(5_000);

      registry.close();
      Throwable ended = org.assertj.core.api.Assertions.catchThrowable(() -> raw.in.readAllBytes());

      assertThat(prefix).isEqualTo(Arrays.copyOf(layerBytes, 10));
      if (ended != null) { // a reset is a fine end too; waiting out the stall is not
        assertThat(ended)
            .isInstanceOf(IOException.class)
            .isNotInstanceOf(SocketTimeoutException.class);
      }
    }
  }
}
