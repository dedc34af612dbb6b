package dev.hoist.snapshots;

import java.util.List;
import java.util.Objects;

/**
 * How a runtime mounts a snapshot, as containerd's {@code mount.Mount}: {@code mount -t TYPE -o
 * OPTIONS SOURCE target}. A native-style snapshot is a {@code bind} mount of its directory ({@code
 * rbind,rw} or {@code rbind,ro}); an overlay one is {@code overlay} with {@code
 * lowerdir=…,upperdir=…,workdir=…} options.
 *
 * @param type e.g. {@code bind} or {@code overlay}
 * @param source e.g. a directory, or {@code overlay}
 * @param options never null
 */
public record Mount(String type, String source, List<String> options) {

  /**
   * Checks type and source and copies the options.
   *
   * @param type e.g. {@code bind}
   * @param source e.g. a directory
   * @param options nullable; null becomes empty
   */
  public Mount {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(source, "source");
    options = options == null ? List.of() : List.copyOf(options);
  }

  /**
   * A recursive bind mount of {@code directory}, as containerd's native snapshotter reports.
   *
   * @param directory the snapshot's directory
   * @param readOnly {@code ro} instead of {@code rw}
   * @return the mount
   */
  public static Mount bind(String directory, boolean readOnly) {
    return new Mount("bind", directory, List.of("rbind", readOnly ? "ro" : "rw"));
  }

  /** {@return true for a bind mount} */
  public boolean isBind() {
    return "bind".equals(type);
  }

  /** {@return true when the options include {@code ro}} */
  public boolean readOnly() {
    return options.contains("ro");
  }
}
