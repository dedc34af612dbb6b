package dev.hoist.platforms;

import dev.hoist.spec.Platform;
import java.util.Locale;

/** Maps the JVM's {@code os.name} and {@code os.arch} to an OCI platform. */
final class HostPlatform {

  private HostPlatform() {}

  /**
   * The platform of a JVM reporting {@code osName} and {@code osArch}. arm64 gets variant {@code
   * v8} and arm {@code v7}, as containerd's default spec on such hosts (the JVM cannot tell arm
   * variants apart, so v7, the common one, is assumed).
   */
  static Platform from(String osName, String osArch) {
    String os = os(osName == null ? "" : osName.trim().toLowerCase(Locale.ROOT));
    String arch = osArch == null ? "" : osArch.trim().toLowerCase(Locale.ROOT);
    switch (arch) {
      case "amd64":
      case "x86_64":
      case "x86-64":
      case "x64":
        return Platform.of(os, "amd64");
      case "aarch64":
      case "arm64":
        return Platform.of(os, "arm64", "v8");
      case "x86":
      case "i386":
      case "i486":
      case "i586":
      case "i686":
        return Platform.of(os, "386");
      case "arm":
      case "arm32":
      case "armv7l":
      case "armhf":
        return Platform.of(os, "arm", "v7");
      case "armv6l":
      case "armel":
        return Platform.of(os, "arm", "v6");
      case "loongarch64":
        return Platform.of(os, "loong64");
      case "mips64el":
        return Platform.of(os, "mips64le");
      case "mipsel":
        return Platform.of(os, "mipsle");
      case "sparcv9":
        return Platform.of(os, "sparc64");
      case "":
        return Platform.of(os, "unknown");
      default:
        // ppc64le, ppc64, s390x, riscv64, mips64 and mips are spelt alike in Java and Go.
        return Platform.of(os, arch);
    }
  }

  private static String os(String name) {
    if (name.startsWith("linux")) {
      return "linux";
    }
    if (name.startsWith("mac") || name.startsWith("darwin")) {
      return "darwin";
    }
    if (name.startsWith("windows")) {
      return "windows";
    }
    if (name.equals("sunos") || name.equals("solaris")) {
      return "solaris";
    }
    if (name.equals("z/os")) {
      return "zos";
    }
    String compact = name.replaceAll("[^a-z0-9]", "");
    return compact.isEmpty() ? "unknown" : compact; // freebsd, openbsd, netbsd, aix, ...
  }
}
