package dev.hoist.unpack;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.content.InMemoryContentStore;
import dev.hoist.digest.Digest;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.errors.NotImplementedException;
import dev.hoist.snapshots.Mount;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.MediaTypes;
import dev.hoist.testing.TestImages;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarLayerApplierTest {

  @TempDir Path root;

  private static byte[] tarOf(String name, String content) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      byte[] data = content.getBytes(UTF_8);
      TarArchiveEntry e = new TarArchiveEntry(name);
      e.setSize(data.length);
      tar.putArchiveEntry(e);
      tar.write(data);
      tar.closeArchiveEntry();
    }
    return bytes.toByteArray();
  }

  private static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(bytes)) {
      z.write(data);
    }
    return bytes.toByteArray();
  }

  @Test
  void appliesTheStoredBlobIntoTheBindMountAndReturnsTheUncompressedDigest() throws IOException {
    byte[] tar = tarOf("hello.txt", "hi\n");
    InMemoryContentStore store = new InMemoryContentStore();
    byte[] blob = gzip(tar);
    Descriptor layer =
        TestImages.commit(store, TestImages.descriptor(MediaTypes.OCI_LAYER_GZIP, blob), blob);
    Files.createDirectories(root.resolve("fs"));

    Digest diffId =
        TarLayerApplier.create()
            .apply(layer, store, List.of(Mount.bind(root.resolve("fs").toString(), false)));

    assertThat(diffId).isEqualTo(Digest.sha256(tar));
    assertThat(Files.readString(root.resolve("fs/hello.txt"))).isEqualTo("hi\n");
  }

  @Test
  void refusesMountsItCannotWriteInto() throws IOException {
    byte[] tar = tarOf("a", "a");
    InMemoryContentStore store = new InMemoryContentStore();
    Descriptor layer =
        TestImages.commit(store, TestImages.descriptor(MediaTypes.OCI_LAYER, tar), tar);
    TarLayerApplier applier = TarLayerApplier.create();

    assertThatThrownBy(
            () -> applier.apply(layer, store, List.of(new Mount("tmpfs", "tmpfs", List.of()))))
        .isInstanceOf(NotImplementedException.class)
        .hasMessageContaining(layer.digest().toString());
    // An overlay without upperdir is a read-only view.
    assertThatThrownBy(
            () ->
                applier.apply(
                    layer, store, List.of(new Mount("overlay", "overlay", List.of("lowerdir=/x")))))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("read-only");
    assertThatThrownBy(
            () -> applier.apply(layer, store, List.of(Mount.bind(root.toString(), true))))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("read-only");
  }
}
