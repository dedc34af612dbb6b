package dev.hoist.unpack;

import static dev.hoist.unpack.TarApplierTest.apply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.ZstdOutputStream;
import dev.hoist.digest.Digest;
import dev.hoist.errors.InvalidArgumentException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZstdLayerTest {

  @TempDir Path root;

  static byte[] zstd(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZstdOutputStream z = new ZstdOutputStream(out, 3)) {
      z.write(data);
    }
    return out.toByteArray();
  }

  @Test
  void zstdLayerIsDetectedByMagicAndHashedUncompressed() throws IOException {
    byte[] tar = new TestLayer().dir("etc").file("etc/os-release", "ID=hoist\n").tar();
    byte[] z = zstd(tar);
    assertThat(Arrays.copyOf(z, 4)).containsExactly(0x28, 0xb5, 0x2f, 0xfd);

    ApplyResult r = apply(z, root);

    assertThat(root.resolve("etc/os-release")).hasContent("ID=hoist\n");
    assertThat(r.diffId()).isEqualTo(Digest.sha256(tar));
    assertThat(r.uncompressedSize()).isEqualTo(tar.length);
  }

  @Test
  void concatenatedZstdFramesAreOneStream() throws IOException {
    byte[] tar = new TestLayer().file("a", "a".repeat(50_000)).file("b", "b").tar();
    ByteArrayOutputStream two = new ByteArrayOutputStream();
    two.write(zstd(Arrays.copyOfRange(tar, 0, 10_240)));
    two.write(zstd(Arrays.copyOfRange(tar, 10_240, tar.length)));

    ApplyResult r = apply(two.toByteArray(), root);

    assertThat(Files.readString(root.resolve("a"))).hasSize(50_000);
    assertThat(root.resolve("b")).hasContent("b");
    assertThat(r.diffId()).isEqualTo(Digest.sha256(tar));
  }

  @Test
  void corruptZstdIsInvalidArgument() throws IOException {
    byte[] z = zstd(new TestLayer().file("a", "abc".repeat(10_000)).tar());
    for (int i = 20; i < z.length - 8; i += 7) {
      z[i] ^= 0x5a;
    }

    assertThatThrownBy(() -> apply(z, root)).isInstanceOf(InvalidArgumentException.class);
  }
}
