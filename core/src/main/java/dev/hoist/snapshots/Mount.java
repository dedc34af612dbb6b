package dev.hoist.snapshots;

import java.util.List;
import java.util.Objects;

/**
 * How a runtime mounts a snapshot, as containerd's {@code mount.Mount}: {@code mount -t TYPE
 * -o OPTIONS SOURCE target}. A native-style snapshot is a {@code bind} mount of its directory
 * ({@code rbind,rw} or {@code rbind,ro}); an overlay one is {@code overlay} with {@code
 * lowerdir=…,upperdir=…,workdir=…} options.
 *
 * @param type e.g. {@code bind} or {@code overlay}
 * @param source e.g. a directory, or {@code overlay}
 * @param options never null
 */
public record Mount(String type, String source, List<String> options) {

  /** Copies {@code options}; null becomes empty. */
  public Mount {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(source, "source");
    options = options == null ? List.of() : List.copyOf(options);
  }

  /** A recursive bind mount of {@code directory}, read-only when {@code readOnly}. */
  public static Mount bind(String directory, boolean readOnly) {
    return new Mount("bind", directory, List.of("rbind", readOnly ? "ro" : "rw"));
  }

  /** True for a bind mount. */
  public boolean isBind() {
    return "bind".equals(type);
  }

  /** True when the options include {@code ro}. */
  public boolean readOnly() {
    return options.contains("ro");
  }
}
