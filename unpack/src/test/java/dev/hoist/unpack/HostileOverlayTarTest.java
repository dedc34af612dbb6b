package dev.hoist.unpack;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Every hostile case of {@link HostileTarTest} applied as an overlay diff: the root is the upper
 * directory over two lower layers in the sandbox (with a directory, a file, a symlink to {@code
 * /etc} and one out of the sandbox), which count as "outside the root" and so must not change.
 */
class HostileOverlayTarTest extends HostileTarTest {

  private Path near;
  private Path far;

  @Override
  void before() throws IOException {
    try {
      String reason = OverlayFormatSupport.unavailableReason(sandbox);
      assumeTrue(reason == null, reason);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("probe interrupted");
    }
    near = Files.createDirectories(sandbox.resolve("lower-near"));
    far = Files.createDirectories(sandbox.resolve("lower-far"));
    Files.createDirectories(far.resolve("etc"));
    Files.writeString(far.resolve("etc/passwd"), "lower passwd");
    Files.createDirectories(far.resolve("a/b"));
    Files.writeString(far.resolve("a/b/c"), "lower c");
    Files.createSymbolicLink(near.resolve("etc-link"), Path.of("/etc"));
    Files.createSymbolicLink(near.resolve("up"), Path.of("../../outside"));
    Files.createDirectories(near.resolve("a"));
  }

  @Override
  ApplyResult apply(byte[] tar) throws IOException {
    return TarApplier.create(ApplyOptions.defaults())
        .applyOverlay(new ByteArrayInputStream(tar), root, List.of(near, far));
  }
}
