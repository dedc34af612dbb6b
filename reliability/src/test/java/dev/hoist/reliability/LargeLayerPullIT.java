package dev.hoist.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hoist.diff.ChainIds;
import dev.hoist.digest.Digest;
import dev.hoist.remotes.docker.testing.DistributionRegistry;
import dev.hoist.snapshots.Kind;
import dev.hoist.unpack.OverlaySnapshotter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18's memory bound: {@code hoist pull} in a JVM with a 64 MiB heap unpacks a layer of 1 GiB
 * uncompressed, so the layer is streamed (download, inflate, hash, write), never held.
 */
@Timeout(300)
class LargeLayerPullIT {

  private static final long GIB = 1L << 30;
  private static final int CHUNK = 1 << 20;

  @RegisterExtension
  static final DistributionRegistry registry = DistributionRegistry.builder().build();

  @TempDir Path dir;

  /**
   * One file of 1 GiB of a pattern that repeats within deflate's window: the gzip blob is about 6
   * MiB (quick to build and push), its tar stream just over 1 GiB.
   */
  private static LayerImages.Layer gibLayer() throws IOException, NoSuchAlgorithmException {
    ByteArrayOutputStream gzip = new ByteArrayOutputStream();
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    try (GZIPOutputStream z = new GZIPOutputStream(gzip, CHUNK);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(new DigestOutputStream(z, sha))) {
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      TarArchiveEntry e = new TarArchiveEntry("data/big.bin");
      e.setSize(GIB);
      e.setMode(0644);
      e.setModTime(1_600_000_000_000L);
      tar.putArchiveEntry(e);
      byte[] chunk = pattern();
      for (long written = 0; written < GIB; written += CHUNK) {
        tar.write(chunk);
      }
      tar.closeArchiveEntry();
    }
    Digest diffId = Digest.parse("sha256:" + HexFormat.of().formatHex(sha.digest()));
    return new LayerImages.Layer(gzip.toByteArray(), diffId);
  }

  private static byte[] pattern() {
    byte[] chunk = new byte[CHUNK];
    for (int i = 0; i < CHUNK; i++) {
      chunk[i] = (byte) ((i * 31) ^ (i >>> 12));
    }
    return chunk;
  }

  @Test
  void pullWithA64MiBHeapUnpacksALayerOfOneGiBUncompressed() throws Exception {
    LayerImages.Layer big = gibLayer();
    assertThat(big.gzip().length).as("the blob stays small to push").isLessThan(64 << 20);
    // Over a base layer: on overlayfs the two are applied at once, each with its own buffers.
    LayerImages.Layer base = LayerImages.base();
    LayerImages.push(registry, "memory/big", "1", List.of(base, big));
    Path store = dir.resolve("store");
    Path log = dir.resolve("pull.log");

    int exit =
        Processes.exitCode(
            Processes.java(
                log,
                List.of("-Xmx64m", "-XX:+UseSerialGC"),
                dev.hoist.cli.HoistCli.class,
                "pull",
                "--store",
                store.toString(),
                "--platform",
                "linux/amd64",
                "--progress",
                "plain",
                registry.hostPort() + "/memory/big:1"),
            Duration.ofSeconds(240),
            log);

    assertThat(exit).as(Processes.output(log)).isZero();
    assertThat(Processes.output(log)).contains("(2 layers applied, 0 reused)");
    Digest chain = ChainIds.of(List.of(base.diffId(), big.diffId())).get(1);
    OverlaySnapshotter snapshots = OverlaySnapshotter.open(store.resolve("snapshots/overlayfs"));
    assertThat(snapshots.stat(chain.toString()).kind()).isEqualTo(Kind.COMMITTED);
    Path applied = findFile(store.resolve("snapshots/overlayfs"), "big.bin");
    assertThat(Files.size(applied)).isEqualTo(GIB);
    byte[] expected = pattern();
    try (InputStream in = Files.newInputStream(applied)) {
      in.skipNBytes(GIB - CHUNK);
      assertThat(in.readAllBytes()).as("the last MiB").isEqualTo(expected);
    }
  }

  private static Path findFile(Path root, String name) throws IOException {
    try (var files = Files.walk(root)) {
      return files
          .filter(p -> p.getFileName().toString().equals(name))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no " + name + " under " + root));
    }
  }
}
