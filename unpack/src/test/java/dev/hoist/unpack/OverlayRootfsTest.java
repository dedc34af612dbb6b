package dev.hoist.unpack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hoist.client.Client;
import dev.hoist.client.UnpackedImage;
import dev.hoist.snapshots.Snapshotter;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link RootfsTest} with {@link OverlaySnapshotter}, plus: one image unpacked by native and by
 * overlay snapshots gives the same root filesystem.
 */
class OverlayRootfsTest extends RootfsTest {

  @BeforeEach
  void overlayFormatWorksHere() throws Exception {
    String reason = OverlayFormatSupport.unavailableReason(dir);
    assumeTrue(reason == null, reason);
  }

  @Override
  Snapshotter open(Path root) throws IOException {
    return OverlaySnapshotter.open(root);
  }

  @Test
  void nativeAndOverlayUnpacksWriteIdenticalTrees() throws IOException {
    Instant start = Instant.now().minusSeconds(1);
    var app = image("app", List.of(base(), mid(), top()));
    LocalSnapshotter local = LocalSnapshotter.open(dir.resolve("native"));
    OverlaySnapshotter overlay = OverlaySnapshotter.open(dir.resolve("overlay"));
    try (Client n = client(local);
        Client o = client(overlay)) {
      UnpackedImage a = n.unpack(app, AMD64, null);
      UnpackedImage b = o.unpack(app, AMD64, null);
      Rootfs.write(local, a, dir.resolve("from-native"));
      Rootfs.write(overlay, b, dir.resolve("from-overlay"));
    }

    assertThat(TreeDescription.of(dir.resolve("from-overlay"), start))
        .isEqualTo(TreeDescription.of(dir.resolve("from-native"), start))
        .containsKeys("etc/keep", "srv/also", "srv/data/new")
        .doesNotContainKeys("etc/gone", "srv/data/old");
  }
}
