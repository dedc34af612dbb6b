package dev.hoist.remotes.docker.config.internal;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Finds a registry's configuration directory under a root, as containerd's {@code HostDirFromRoot}
 * ({@code config_unix.go}, {@code config_windows.go}).
 */
public final class HostDirectories {

  /** The directory used when no registry-specific one exists. */
  public static final String DEFAULT_DIR = "_default";

  private HostDirectories() {}

  /** Returns a function that looks registries up under {@code root}. */
  public static Function<String, Optional<Path>> fromRoot(Path root) {
    boolean windows = File.separatorChar == '\\';
    return host -> {
      for (String name : candidates(host, windows)) {
        Path p;
        try {
          p = root.resolve(name);
        } catch (InvalidPathException e) {
          continue; // e.g. ':' on Windows; containerd skips such names too
        }
        if (Files.isDirectory(p)) {
          return Optional.of(p);
        }
      }
      return Optional.empty();
    };
  }

  /**
   * Directory names tried for {@code host}, in order: {@code host_port_} (only the last colon is
   * rewritten, so IPv6 literals are mangled as containerd mangles them), then the host as given (on
   * Windows, with colons removed), then {@code _default}.
   */
  public static List<String> candidates(String host, boolean windows) {
    List<String> names = new ArrayList<>(3);
    if (host.isEmpty() || host.contains("/") || host.contains("\\") || host.startsWith(".")) {
      // Not a registry host name (references are validated before this): never leave the root.
      names.add(DEFAULT_DIR);
      return names;
    }
    int colon = host.lastIndexOf(':');
    if (colon > 0) {
      names.add(host.substring(0, colon) + "_" + host.substring(colon + 1) + "_");
    }
    String plain = windows ? host.replace(":", "") : host;
    if (!names.contains(plain)) {
      names.add(plain);
    }
    names.add(DEFAULT_DIR);
    return names;
  }
}
