package dev.hoist.unpack;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.concurrent.TimeUnit;

/**
 * Whether a directory's filesystem takes the overlay diff format (a 0/0 character device and a
 * {@code user.*} xattr on a directory), for tests that need it to assume rather than fail on a
 * machine that cannot (tmpfs before Linux 6.6 has no user xattrs; a locked-down container may
 * refuse mknod).
 */
final class OverlayFormatSupport {

  private OverlayFormatSupport() {}

  /** Why {@code dir}'s filesystem cannot hold overlay diffs, or null when it can. */
  static String unavailableReason(Path dir) throws IOException, InterruptedException {
    Path probe = Files.createTempDirectory(dir, "overlay-probe");
    try {
      Path device = probe.resolve("whiteout");
      Process p =
          new ProcessBuilder("mknod", device.toString(), "c", "0", "0")
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        return "cannot create a 0/0 character device here: " + out.strip();
      }
      Files.delete(device);
      UserDefinedFileAttributeView view =
          Files.getFileAttributeView(probe, UserDefinedFileAttributeView.class);
      try {
        view.write("hoist.probe", ByteBuffer.wrap(new byte[] {'y'}));
      } catch (IOException | UnsupportedOperationException e) {
        return "no user xattrs on this filesystem: " + e;
      }
      return null;
    } finally {
      Files.deleteIfExists(probe);
    }
  }
}
