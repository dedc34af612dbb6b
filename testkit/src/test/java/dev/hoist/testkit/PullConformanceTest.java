package dev.hoist.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.MediaTypes;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PullConformanceTest {

  private static TestRegistry registry;
  private static Http http;
  private static TestImage image;
  private static Descriptor layer;
  private static byte[] layerBytes;

  @BeforeAll
  static void start() throws IOException {
    registry = TestRegistry.start();
    http = new Http(registry);
    image =
        GeneratedImages.random(
            ImageSpec.builder()
                .platforms("linux/amd64", "linux/arm64/v8")
                .layers(2, 10_000)
                .build());
    registry.push("library/nginx:1.25", image);
    layer = image.layers().get(0);
    layerBytes = image.bytes(layer);
  }

  @AfterAll
  static void stop() {
    registry.close();
  }

  @Test
  void baseEndpointAnswers200WithApiVersion() throws IOException {
    HttpResponse<byte[]> r = http.get("/v2/");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(Http.header(r, "Docker-Distribution-API-Version")).isEqualTo("registry/2.0");
  }

  @Test
  void hostIsLoopbackWithPort() {
    assertThat(registry.host()).isEqualTo("127.0.0.1:" + registry.port());
    assertThat(registry.url().toString()).isEqualTo("http://127.0.0.1:" + registry.port());
  }

  @Test
  void headManifestByTagGivesDigestTypeAndLengthWithoutBody() throws IOException {
    HttpResponse<byte[]> r = http.head("/v2/library/nginx/manifests/1.25");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(Http.header(r, "Docker-Content-Digest")).isEqualTo(image.root().digest().toString());
    assertThat(Http.header(r, "Content-Type")).isEqualTo(MediaTypes.OCI_INDEX);
    assertThat(Http.header(r, "Content-Length")).isEqualTo(Long.toString(image.root().size()));
    assertThat(r.body()).isEmpty();
  }

  @Test
  void getManifestByDigestReturnsExactBytes() throws IOException {
    Descriptor m = image.manifests().get(1);

    HttpResponse<byte[]> r = http.get("/v2/library/nginx/manifests/" + m.digest());

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(image.bytes(m));
    assertThat(Http.header(r, "Content-Type")).isEqualTo(MediaTypes.OCI_MANIFEST);
    assertThat(Http.header(r, "Docker-Content-Digest")).isEqualTo(m.digest().toString());
    assertThat(Http.header(r, "Content-Length")).isEqualTo(Long.toString(m.size()));
  }

  @Test
  void unknownTagIsManifestUnknown() throws IOException {
    HttpResponse<byte[]> r = http.get("/v2/library/nginx/manifests/nope");

    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(Http.text(r)).contains("\"code\":\"MANIFEST_UNKNOWN\"").contains("\"message\"");
  }

  @Test
  void unknownRepositoryIsNameUnknown() throws IOException {
    HttpResponse<byte[]> r = http.get("/v2/library/absent/manifests/latest");

    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(Http.text(r)).contains("NAME_UNKNOWN");
  }

  @Test
  void malformedDigestIsDigestInvalid() throws IOException {
    assertThat(Http.text(http.get("/v2/library/nginx/manifests/sha256:zz")))
        .contains("DIGEST_INVALID");
    HttpResponse<byte[]> r = http.get("/v2/library/nginx/blobs/sha256:1234");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(Http.text(r)).contains("DIGEST_INVALID");
  }

  @Test
  void invalidRepositoryNameIsNameInvalid() throws IOException {
    HttpResponse<byte[]> r = http.get("/v2/Library/UPPER/manifests/latest");

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(Http.text(r)).contains("NAME_INVALID");
  }

  @Test
  void getBlobServesWholeBlobWithHeaders() throws IOException {
    HttpResponse<byte[]> r = http.get("/v2/library/nginx/blobs/" + layer.digest());

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(layerBytes);
    assertThat(Http.header(r, "Docker-Content-Digest")).isEqualTo(layer.digest().toString());
    assertThat(Http.header(r, "Content-Length")).isEqualTo(Long.toString(layer.size()));
    assertThat(Http.header(r, "Accept-Ranges")).isEqualTo("bytes");
  }

  @Test
  void headBlobGivesLengthAndNoBody() throws IOException {
    HttpResponse<byte[]> r = http.head("/v2/library/nginx/blobs/" + layer.digest());

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(Http.header(r, "Content-Length")).isEqualTo(Long.toString(layer.size()));
    assertThat(r.body()).isEmpty();
  }

  @Test
  void openRangeGives206FromOffset() throws IOException {
    HttpResponse<byte[]> r =
        http.get("/v2/library/nginx/blobs/" + layer.digest(), "Range", "bytes=1000-");

    assertThat(r.statusCode()).isEqualTo(206);
    assertThat(Http.header(r, "Content-Range")).isEqualTo("bytes 1000-9999/10000");
    assertThat(r.body()).isEqualTo(Arrays.copyOfRange(layerBytes, 1000, 10_000));
  }

  @Test
  void closedRangeGivesExactlyThoseBytes() throws IOException {
    HttpResponse<byte[]> r =
        http.get("/v2/library/nginx/blobs/" + layer.digest(), "Range", "bytes=10-19");

    assertThat(r.statusCode()).isEqualTo(206);
    assertThat(Http.header(r, "Content-Range")).isEqualTo("bytes 10-19/10000");
    assertThat(Http.header(r, "Content-Length")).isEqualTo("10");
    assertThat(r.body()).isEqualTo(Arrays.copyOfRange(layerBytes, 10, 20));
  }

  @Test
  void rangeEndPastSizeIsClampedAndSuffixRangeServesTail() throws IOException {
    HttpResponse<byte[]> clamped =
        http.get("/v2/library/nginx/blobs/" + layer.digest(), "Range", "bytes=9990-20000");
    HttpResponse<byte[]> suffix =
        http.get("/v2/library/nginx/blobs/" + layer.digest(), "Range", "bytes=-5");

    assertThat(clamped.body()).isEqualTo(Arrays.copyOfRange(layerBytes, 9990, 10_000));
    assertThat(suffix.statusCode()).isEqualTo(206);
    assertThat(suffix.body()).isEqualTo(Arrays.copyOfRange(layerBytes, 9995, 10_000));
  }

  @Test
  void rangeStartingAtSizeIs416WithSize() throws IOException {
    HttpResponse<byte[]> r =
        http.get("/v2/library/nginx/blobs/" + layer.digest(), "Range", "bytes=10000-");

    assertThat(r.statusCode()).isEqualTo(416);
    assertThat(Http.header(r, "Content-Range")).isEqualTo("bytes */10000");
    assertThat(Http.text(r)).contains("RANGE_INVALID");
  }

  @Test
  void malformedRangeIsIgnored() throws IOException {
    HttpResponse<byte[]> r =
        http.get("/v2/library/nginx/blobs/" + layer.digest(), "Range", "bytes=1-2,5-6");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).hasSize(10_000);
  }

  @Test
  void blobNotInRepositoryIsBlobUnknown() throws IOException {
    registry.pushBlob("other/repo", Blob.of(new byte[] {1, 2, 3}));
    HttpResponse<byte[]> r = http.get("/v2/other/repo/blobs/" + layer.digest());

    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(Http.text(r)).contains("BLOB_UNKNOWN");
  }

  @Test
  void tagListIsSortedAndPaginates() throws IOException {
    TestImage small = GeneratedImages.random(ImageSpec.builder().layers(1, 10).seed(9).build());
    for (String t : new String[] {"b", "a", "c"}) {
      registry.push("team/tags:" + t, small);
    }

    HttpResponse<byte[]> all = http.get("/v2/team/tags/tags/list");
    HttpResponse<byte[]> page = http.get("/v2/team/tags/tags/list?n=2");
    HttpResponse<byte[]> next = http.get("/v2/team/tags/tags/list?n=2&last=b");

    assertThat(Http.text(all)).isEqualTo("{\"name\":\"team/tags\",\"tags\":[\"a\",\"b\",\"c\"]}");
    assertThat(Http.text(page)).contains("[\"a\",\"b\"]");
    assertThat(Http.header(page, "Link"))
        .isEqualTo("</v2/team/tags/tags/list?n=2&last=b>; rel=\"next\"");
    assertThat(Http.text(next)).contains("[\"c\"]");
    assertThat(http.get("/v2/team/none/tags/list").statusCode()).isEqualTo(404);
  }

  @Test
  void deepRepositoryNamesWork() throws IOException {
    registry.push("a/b/c/d:x", image);

    assertThat(http.head("/v2/a/b/c/d/manifests/x").statusCode()).isEqualTo(200);
    assertThat(http.get("/v2/a/b/c/d/blobs/" + layer.digest()).body()).isEqualTo(layerBytes);
  }

  @Test
  void unsupportedMethodIs405Unsupported() throws IOException {
    HttpResponse<byte[]> r = http.send("DELETE", "/v2/library/nginx/blobs/" + layer.digest(), null);

    assertThat(r.statusCode()).isEqualTo(405);
    assertThat(Http.text(r)).contains("UNSUPPORTED");
  }

  @Test
  void pathOutsideTheApiIs404() throws IOException {
    assertThat(http.get("/v3/whatever").statusCode()).isEqualTo(404);
  }

  @Test
  void pushRejectsBadReferences() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> registry.push("Bad Name:1", image))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("Bad Name");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> registry.push("ok:bad tag", image))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("bad tag");
  }

  @Test
  void largeGeneratedBlobStreamsIntactToAPlainUrlConnection() throws Exception {
    Blob big = Blob.random(64L << 20, 77);
    registry.pushBlob("bench/big", big);
    java.net.HttpURLConnection c =
        (java.net.HttpURLConnection)
            new java.net.URL(registry.url() + "/v2/bench/big/blobs/" + big.digest())
                .openConnection();
    dev.hoist.digest.Digester d = dev.hoist.digest.Digester.sha256();
    byte[] buf = new byte[1 << 20];
    try (java.io.InputStream in = c.getInputStream()) {
      for (int n; (n = in.read(buf)) >= 0; ) {
        d.update(buf, 0, n);
      }
    }

    assertThat(c.getContentLengthLong()).isEqualTo(64L << 20);
    assertThat(d.count()).isEqualTo(64L << 20);
    assertThat(d.digest()).isEqualTo(big.digest());
  }
}
