package dev.hoist.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hoist.digest.Digest;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.Manifest;
import dev.hoist.spec.MediaTypes;
import dev.hoist.spec.OciJson;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PushConformanceTest {

  private TestRegistry registry;
  private Http http;
  private final byte[] data = "hello, registry".getBytes(StandardCharsets.UTF_8);
  private final Digest digest = Digest.sha256(data);

  @BeforeEach
  void start() {
    registry = TestRegistry.start();
    http = new Http(registry);
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  @Test
  void monolithicPostWithDigestCreatesBlob() throws IOException {
    HttpResponse<byte[]> r =
        http.send("POST", "/v2/team/app/blobs/uploads/?digest=" + digest, data);

    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(Http.header(r, "Docker-Content-Digest")).isEqualTo(digest.toString());
    assertThat(Http.header(r, "Location"))
        .isEqualTo(registry.url() + "/v2/team/app/blobs/" + digest);
    assertThat(http.get("/v2/team/app/blobs/" + digest).body()).isEqualTo(data);
  }

  @Test
  void postThenPutUploadsInTwoSteps() throws IOException {
    HttpResponse<byte[]> start = http.send("POST", "/v2/team/app/blobs/uploads/", null);
    String location = Http.header(start, "Location");

    HttpResponse<byte[]> put = http.send("PUT", location + "?digest=" + digest, data);

    assertThat(start.statusCode()).isEqualTo(202);
    assertThat(Http.header(start, "Docker-Upload-UUID")).isNotBlank();
    assertThat(Http.header(start, "Range")).isEqualTo("0-0");
    assertThat(put.statusCode()).isEqualTo(201);
    assertThat(registry.hasBlob("team/app", digest)).isTrue();
    assertThat(registry.blob("team/app", digest).orElseThrow().bytes()).isEqualTo(data);
    assertThat(registry.blob("team/other", digest)).isEmpty();
  }

  @Test
  void chunkedPatchesAppendInOrderAndReportRange() throws IOException {
    String location =
        Http.header(http.send("POST", "/v2/team/app/blobs/uploads/", null), "Location");

    HttpResponse<byte[]> first =
        http.send("PATCH", location, Arrays.copyOfRange(data, 0, 5), "Content-Range", "0-4");
    HttpResponse<byte[]> second =
        http.send(
            "PATCH",
            Http.header(first, "Location"),
            Arrays.copyOfRange(data, 5, data.length),
            "Content-Range",
            "5-" + (data.length - 1));
    HttpResponse<byte[]> status = http.get(Http.header(second, "Location"));
    HttpResponse<byte[]> done =
        http.send("PUT", Http.header(second, "Location") + "?digest=" + digest, null);

    assertThat(first.statusCode()).isEqualTo(202);
    assertThat(Http.header(first, "Range")).isEqualTo("0-4");
    assertThat(Http.header(second, "Range")).isEqualTo("0-" + (data.length - 1));
    assertThat(status.statusCode()).isEqualTo(204);
    assertThat(Http.header(status, "Range")).isEqualTo("0-" + (data.length - 1));
    assertThat(done.statusCode()).isEqualTo(201);
    assertThat(http.get("/v2/team/app/blobs/" + digest).body()).isEqualTo(data);
  }

  @Test
  void patchOutOfOrderIs416() throws IOException {
    String location =
        Http.header(http.send("POST", "/v2/team/app/blobs/uploads/", null), "Location");

    HttpResponse<byte[]> r = http.send("PATCH", location, data, "Content-Range", "3-10");

    assertThat(r.statusCode()).isEqualTo(416);
    assertThat(Http.text(r)).contains("RANGE_INVALID");
  }

  @Test
  void putWithWrongDigestIsDigestInvalidAndStoresNothing() throws IOException {
    Digest other = Digest.sha256("other");
    HttpResponse<byte[]> r = http.send("POST", "/v2/team/app/blobs/uploads/?digest=" + other, data);

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(Http.text(r)).contains("DIGEST_INVALID");
    assertThat(registry.hasBlob("team/app", other)).isFalse();
    assertThat(registry.hasBlob("team/app", digest)).isFalse();
  }

  @Test
  void putWithoutDigestIsDigestInvalid() throws IOException {
    String location =
        Http.header(http.send("POST", "/v2/team/app/blobs/uploads/", null), "Location");

    HttpResponse<byte[]> r = http.send("PUT", location, data);

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(Http.text(r)).contains("DIGEST_INVALID");
  }

  @Test
  void unknownOrCancelledUploadIsBlobUploadUnknown() throws IOException {
    String location =
        Http.header(http.send("POST", "/v2/team/app/blobs/uploads/", null), "Location");

    HttpResponse<byte[]> cancel = http.send("DELETE", location, null);
    HttpResponse<byte[]> after = http.send("PATCH", location, data);
    HttpResponse<byte[]> unknown = http.get("/v2/team/app/blobs/uploads/no-such-id");

    assertThat(cancel.statusCode()).isEqualTo(204);
    assertThat(after.statusCode()).isEqualTo(404);
    assertThat(Http.text(after)).contains("BLOB_UPLOAD_UNKNOWN");
    assertThat(unknown.statusCode()).isEqualTo(404);
  }

  @Test
  void uploadSessionBelongsToItsRepository() throws IOException {
    String location =
        Http.header(http.send("POST", "/v2/team/app/blobs/uploads/", null), "Location");
    String id = location.substring(location.lastIndexOf('/') + 1);

    assertThat(http.get("/v2/team/other/blobs/uploads/" + id).statusCode()).isEqualTo(404);
  }

  @Test
  void crossRepositoryMountLinksExistingBlob() throws IOException {
    registry.pushBlob("team/source", Blob.of(data));

    HttpResponse<byte[]> r =
        http.send(
            "POST", "/v2/team/target/blobs/uploads/?mount=" + digest + "&from=team/source", null);

    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(Http.header(r, "Location")).endsWith("/v2/team/target/blobs/" + digest);
    assertThat(http.get("/v2/team/target/blobs/" + digest).body()).isEqualTo(data);
  }

  @Test
  void mountOfMissingBlobFallsBackToUploadSession() throws IOException {
    HttpResponse<byte[]> r =
        http.send(
            "POST", "/v2/team/target/blobs/uploads/?mount=" + digest + "&from=team/source", null);

    assertThat(r.statusCode()).isEqualTo(202);
    assertThat(Http.header(r, "Location")).contains("/v2/team/target/blobs/uploads/");
    assertThat(registry.hasBlob("team/target", digest)).isFalse();
  }

  @Test
  void manifestPutByTagThenPullable() throws IOException {
    TestImage image = GeneratedImages.random(ImageSpec.builder().layers(2, 100).build());
    uploadBlobs(image, image.layers());
    uploadBlobs(image, image.configs());
    Descriptor m = image.root();

    HttpResponse<byte[]> put =
        http.send(
            "PUT", "/v2/team/app/manifests/v1", image.bytes(m), "Content-Type", m.mediaType());
    HttpResponse<byte[]> get = http.get("/v2/team/app/manifests/v1");

    assertThat(put.statusCode()).isEqualTo(201);
    assertThat(Http.header(put, "Docker-Content-Digest")).isEqualTo(m.digest().toString());
    assertThat(Http.header(put, "Location")).isEqualTo("/v2/team/app/manifests/" + m.digest());
    assertThat(get.body()).isEqualTo(image.bytes(m));
    assertThat(Http.header(get, "Content-Type")).isEqualTo(MediaTypes.OCI_MANIFEST);
    assertThat(registry.tag("team/app", "v1")).contains(m.digest());
  }

  @Test
  void indexPutByDigestNeedsItsManifests() throws IOException {
    TestImage image =
        GeneratedImages.random(
            ImageSpec.builder().platforms("linux/amd64", "linux/arm64").layers(1, 10).build());
    String path = "/v2/team/app/manifests/" + image.root().digest();

    HttpResponse<byte[]> missing =
        http.send("PUT", path, image.bytes(image.root()), "Content-Type", MediaTypes.OCI_INDEX);
    registry.push(
        "team/app",
        GeneratedImages.random(ImageSpec.builder().layers(0, 0).build())); // create the repo
    uploadBlobs(image, image.layers());
    uploadBlobs(image, image.configs());
    for (Descriptor m : image.manifests()) {
      http.send(
          "PUT",
          "/v2/team/app/manifests/" + m.digest(),
          image.bytes(m),
          "Content-Type",
          m.mediaType());
    }
    HttpResponse<byte[]> ok =
        http.send("PUT", path, image.bytes(image.root()), "Content-Type", MediaTypes.OCI_INDEX);

    assertThat(missing.statusCode()).isEqualTo(400);
    assertThat(Http.text(missing)).contains("MANIFEST_BLOB_UNKNOWN");
    assertThat(ok.statusCode()).isEqualTo(201);
    assertThat(http.head(path).statusCode()).isEqualTo(200);
  }

  @Test
  void manifestReferencingMissingLayerIsManifestBlobUnknown() throws IOException {
    TestImage image = GeneratedImages.random();

    HttpResponse<byte[]> r =
        http.send(
            "PUT",
            "/v2/team/app/manifests/v1",
            image.bytes(image.root()),
            "Content-Type",
            MediaTypes.OCI_MANIFEST);

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(Http.text(r))
        .contains("MANIFEST_BLOB_UNKNOWN")
        .contains(image.configs().get(0).digest().toString());
  }

  @Test
  void manifestPutByWrongDigestIsDigestInvalid() throws IOException {
    byte[] body =
        OciJson.write(new Manifest(2, MediaTypes.OCI_MANIFEST, null, null, List.of(), null, null));

    HttpResponse<byte[]> r =
        http.send(
            "PUT",
            "/v2/team/app/manifests/" + Digest.sha256("x"),
            body,
            "Content-Type",
            MediaTypes.OCI_MANIFEST);

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(Http.text(r)).contains("DIGEST_INVALID");
  }

  @Test
  void malformedManifestIsManifestInvalid() throws IOException {
    HttpResponse<byte[]> r =
        http.send(
            "PUT",
            "/v2/team/app/manifests/v1",
            "{not json".getBytes(StandardCharsets.UTF_8),
            "Content-Type",
            MediaTypes.OCI_MANIFEST);

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(Http.text(r)).contains("MANIFEST_INVALID");
  }

  @Test
  void badTagOnPutIsTagInvalid() throws IOException {
    HttpResponse<byte[]> r =
        http.send("PUT", "/v2/team/app/manifests/.bad", "{}".getBytes(StandardCharsets.UTF_8));

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(Http.text(r)).contains("TAG_INVALID");
  }

  @Test
  void directoryStorageKeepsUploadsOnDisk(@TempDir Path dir) throws IOException {
    try (TestRegistry onDisk = TestRegistry.builder().directory(dir).start()) {
      Http client = new Http(onDisk);
      byte[] big = new byte[3 << 20];
      new java.util.Random(5).nextBytes(big);
      Digest d = Digest.sha256(big);

      HttpResponse<byte[]> r = client.send("POST", "/v2/team/big/blobs/uploads/?digest=" + d, big);

      assertThat(r.statusCode()).isEqualTo(201);
      assertThat(Files.size(dir.resolve("blobs/sha256/" + d.hex()))).isEqualTo(big.length);
      assertThat(client.get("/v2/team/big/blobs/" + d, "Range", "bytes=1048576-").body())
          .isEqualTo(Arrays.copyOfRange(big, 1 << 20, big.length));
    }
  }

  @Test
  void readOnlyRegistryDeniesWrites() throws IOException {
    try (TestRegistry ro = TestRegistry.builder().readOnly().start()) {
      HttpResponse<byte[]> r = new Http(ro).send("POST", "/v2/team/app/blobs/uploads/", null);

      assertThat(r.statusCode()).isEqualTo(403);
      assertThat(Http.text(r)).contains("DENIED");
    }
  }

  private void uploadBlobs(TestImage image, List<Descriptor> descs) throws IOException {
    for (Descriptor d : descs) {
      HttpResponse<byte[]> r =
          http.send("POST", "/v2/team/app/blobs/uploads/?digest=" + d.digest(), image.bytes(d));
      assertThat(r.statusCode()).isEqualTo(201);
    }
  }
}
