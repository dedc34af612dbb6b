package dev.hoist.unpack;

import java.util.ArrayList;
import java.util.List;

/**
 * How many things of a layer were skipped, and why. A layer applied without root privileges cannot
 * set owners or create device nodes; {@link ApplyOptions#strict()} turns every one of these into a
 * failure instead.
 *
 * @param ownership entries whose owner (uid/gid) was not applied
 * @param deviceNodes character and block device entries not created
 * @param fifos named pipes not created
 * @param xattrs extended attributes not written (only {@code user.*} ones can be written from Java)
 * @param specialModeBits entries whose setuid/setgid bits were dropped because their owner was not
 *     applied (as GNU tar does: a setuid file must not end up setuid for the wrong user)
 */
public record SkipCounts(
    long ownership, long deviceNodes, long fifos, long xattrs, long specialModeBits) {

  /** Nothing skipped. */
  public static final SkipCounts NONE = new SkipCounts(0, 0, 0, 0, 0);

  /**
   * Checks that no count is negative.
   *
   * @param ownership entries whose owner (uid/gid) was not applied
   * @param deviceNodes character and block device entries not created
   * @param fifos named pipes not created
   * @param xattrs extended attributes not written (only {@code user.*} ones can be written from
   *     Java)
   * @param specialModeBits entries whose setuid/setgid bits were dropped because their owner was
   *     not applied (as GNU tar does: a setuid file must not end up setuid for the wrong user)
   */
  public SkipCounts {
    if (ownership < 0 || deviceNodes < 0 || fifos < 0 || xattrs < 0 || specialModeBits < 0) {
      throw new IllegalArgumentException("negative skip count");
    }
  }

  /** {@return the sum of every count} */
  public long total() {
    return ownership + deviceNodes + fifos + xattrs + specialModeBits;
  }

  /**
   * Returns these counts added to {@code other}'s, e.g. to sum the layers of an image.
   *
   * @param other the counts to add
   * @return the sums, count by count
   */
  public SkipCounts plus(SkipCounts other) {
    return new SkipCounts(
        ownership + other.ownership,
        deviceNodes + other.deviceNodes,
        fifos + other.fifos,
        xattrs + other.xattrs,
        specialModeBits + other.specialModeBits);
  }

  /**
   * Returns one line for people, such as {@code "skipped: 120 owners, 2 device nodes"}, or {@code
   * "nothing skipped"}.
   *
   * @return the summary line
   */
  public String summary() {
    List<String> parts = new ArrayList<>();
    add(parts, ownership, "owner", "owners");
    add(parts, deviceNodes, "device node", "device nodes");
    add(parts, fifos, "fifo", "fifos");
    add(parts, xattrs, "xattr", "xattrs");
    add(parts, specialModeBits, "setuid/setgid mode", "setuid/setgid modes");
    return parts.isEmpty() ? "nothing skipped" : "skipped: " + String.join(", ", parts);
  }

  private static void add(List<String> parts, long n, String one, String many) {
    if (n > 0) {
      parts.add(n + " " + (n == 1 ? one : many));
    }
  }
}
