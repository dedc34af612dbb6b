package dev.hoist.content.local;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hoist.content.ContentWriter;
import dev.hoist.digest.Digest;
import dev.hoist.images.Image;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.MediaTypes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store is an OCI image layout other tools read: skopeo finds an image Hoist recorded by its
 * full name ({@code oci:<root>:docker.io/library/...:tag}) and copies it out byte for byte.
 */
@Timeout(120)
class LocalLayoutSkopeoIT {

  private static final Path SKOPEO = Path.of("/usr/bin/skopeo");
  private static final String NAME = "docker.io/library/hoist-layout-test:1.0";

  @BeforeAll
  static void requireSkopeo() {
    boolean present = Files.isExecutable(SKOPEO);
    if (!present && "1".equals(System.getProperty("hoist.requireRegistry"))) {
      fail(SKOPEO + " is missing and hoist.requireRegistry=1 (CI) requires it");
    }
    assumeTrue(present, SKOPEO + " is not installed: skipping the OCI layout interop test");
  }

  @Test
  void skopeoInspectsAndCopiesImageRecordedByHoist(@TempDir Path root, @TempDir Path out)
      throws Exception {
    LocalContentStore store = LocalContentStore.open(root);
    byte[] tar = new byte[1024]; // an empty tar archive: two zero blocks
    byte[] layer = gzip(tar);
    byte[] config =
        ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\","
                + "\"diff_ids\":[\""
                + Digest.sha256(tar)
                + "\"]},\"config\":{}}")
            .getBytes(UTF_8);
    Descriptor layerDesc = put(store, MediaTypes.OCI_LAYER_GZIP, layer);
    Descriptor configDesc = put(store, MediaTypes.OCI_CONFIG, config);
    byte[] manifest =
        ("{\"schemaVersion\":2,\"mediaType\":\""
                + MediaTypes.OCI_MANIFEST
                + "\","
                + "\"config\":"
                + json(configDesc)
                + ",\"layers\":["
                + json(layerDesc)
                + "]}")
            .getBytes(UTF_8);
    Descriptor manifestDesc = put(store, MediaTypes.OCI_MANIFEST, manifest);
    // A second image, so that skopeo must pick ours by name rather than take the only entry.
    byte[] other = java.util.Arrays.copyOf(manifest, manifest.length + 1);
    other[manifest.length] = '\n'; // same JSON, another digest
    store.create(Image.of("docker.io/library/other:2", put(store, MediaTypes.OCI_MANIFEST, other)));
    store.create(Image.of(NAME, manifestDesc));

    String ref = "oci:" + root + ":" + NAME;
    byte[] raw = run(SKOPEO.toString(), "inspect", "--raw", ref);
    assertThat(raw).isEqualTo(manifest);

    Path dir = out.resolve("copy");
    run(SKOPEO.toString(), "--insecure-policy", "copy", ref, "dir:" + dir);
    assertThat(Files.readAllBytes(dir.resolve("manifest.json"))).isEqualTo(manifest);
    assertThat(Files.readAllBytes(dir.resolve(layerDesc.digest().encoded()))).isEqualTo(layer);
    assertThat(Files.readAllBytes(dir.resolve(configDesc.digest().encoded()))).isEqualTo(config);
  }

  private static Descriptor put(LocalContentStore store, String mediaType, byte[] data)
      throws IOException {
    Descriptor desc = Descriptor.of(mediaType, Digest.sha256(data), data.length);
    try (ContentWriter w = store.writer(mediaType + "-" + desc.digest(), desc)) {
      w.write(ByteBuffer.wrap(data));
      w.commit(data.length, desc.digest(), Map.of());
    }
    return desc;
  }

  private static String json(Descriptor d) {
    return "{\"mediaType\":\""
        + d.mediaType()
        + "\",\"digest\":\""
        + d.digest()
        + "\",\"size\":"
        + d.size()
        + "}";
  }

  private static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(data);
    }
    return bytes.toByteArray();
  }

  /** Runs a command, returning its stdout; fails with its stderr when it exits non-zero. */
  private static byte[] run(String... cmd) throws IOException, InterruptedException {
    Path err = Files.createTempFile("skopeo", ".err");
    try {
      Process p =
          new ProcessBuilder(new ArrayList<>(List.of(cmd))).redirectError(err.toFile()).start();
      p.getOutputStream().close();
      byte[] stdout = p.getInputStream().readAllBytes();
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s finished", String.join(" ", cmd)).isTrue();
      assertThat(p.exitValue())
          .as("%s exit code; stderr: %s", String.join(" ", cmd), Files.readString(err))
          .isZero();
      return stdout;
    } finally {
      Files.deleteIfExists(err);
    }
  }
}
