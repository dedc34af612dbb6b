package dev.hoist.platforms;

import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.spec.Platform;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Platform specifiers and matchers, as containerd's {@code platforms} package.
 *
 * <p>A specifier is {@code <os>[(<osversion>)]}, {@code <arch>} or {@code
 * <os>[(<osversion>)]/<arch>[/<variant>]}: {@code linux}, {@code arm64}, {@code linux/arm64/v8},
 * {@code windows(10.0.17763)/amd64}. Values are normalised ({@code x86_64} → {@code amd64}, {@code
 * aarch64} → {@code arm64}, {@code armhf} → {@code arm/v7}, {@code macos} → {@code darwin}, …). The
 * common variants are implied: arm64 without a variant is v8, arm without one is v7, amd64 without
 * one is v1; matching treats the implied and the explicit forms alike.
 *
 * <pre>{@code
 * MatchComparer arm64 = Platforms.only(Platforms.parse("linux/arm64"));
 * arm64.match(Platforms.parse("linux/arm/v7"));   // true: arm64 hosts run 32-bit arm
 * }</pre>
 */
public final class Platforms {

  // Go's known GOOS and GOARCH values (go/build/syslist.go), as containerd's database.go.
  private static final Set<String> KNOWN_OS =
      Set.of(
          "aix",
          "android",
          "darwin",
          "dragonfly",
          "freebsd",
          "hurd",
          "illumos",
          "ios",
          "js",
          "linux",
          "nacl",
          "netbsd",
          "openbsd",
          "plan9",
          "solaris",
          "wasip1",
          "windows",
          "zos");
  private static final Set<String> KNOWN_ARCH =
      Set.of(
          "386",
          "amd64",
          "amd64p32",
          "arm",
          "armbe",
          "arm64",
          "arm64be",
          "ppc64",
          "ppc64le",
          "loong64",
          "mips",
          "mipsle",
          "mips64",
          "mips64le",
          "mips64p32",
          "mips64p32le",
          "ppc",
          "riscv",
          "riscv64",
          "s390",
          "s390x",
          "sparc",
          "sparc64",
          "wasm");

  private Platforms() {}

  /**
   * Parses a platform specifier. An os alone gets this machine's architecture; an architecture
   * alone gets the os {@code linux} (the os of nearly every image; containerd takes the host's). As
   * containerd, {@code os/arch} leaves arm's common v7 implied ({@code linux/arm/v7} written as
   * {@code linux/arm} parses to arm with no variant), while {@code os/arch/variant} keeps it and
   * gives arm64 the explicit variant v8.
   *
   * @param specifier {@code os}, {@code arch}, {@code os/arch} or {@code os/arch/variant}, e.g.
   *     {@code linux/arm64}
   * @return the normalised platform
   * @throws InvalidArgumentException naming the specifier when it is malformed or, for a single
   *     component, neither a known os nor a known architecture
   */
  public static Platform parse(String specifier) {
    if (specifier == null) {
      throw new InvalidArgumentException("invalid platform specifier: null");
    }
    if (specifier.indexOf('*') >= 0) {
      throw invalid(specifier, "wildcards are not supported");
    }
    // At most four pieces, as containerd's SplitN: a long run of slashes costs nothing.
    String[] parts = specifier.split("/", 4);
    if (parts.length > 3) {
      throw invalid(specifier, "expected <os>, <arch> or <os>/<arch>[/<variant>]");
    }
    // <os>[(<version>)]: [A-Za-z0-9_-]+ and [A-Za-z0-9_.-]*, checked by hand (a fresh JVM's first
    // regular expression costs milliseconds, and every fetch parses its platform).
    int open = parts[0].indexOf('(');
    String osName = open < 0 ? parts[0] : parts[0].substring(0, open);
    String osVersion =
        open < 0 || !parts[0].endsWith(")")
            ? null
            : parts[0].substring(open + 1, parts[0].length() - 1);
    if (osName.isEmpty()
        || !only(osName, "_-")
        || (open >= 0 && (osVersion == null || !only(osVersion, "_.-")))) {
      throw invalid(specifier, "invalid os component " + quote(parts[0]));
    }
    for (int i = 1; i < parts.length; i++) {
      if (parts[i].isEmpty() || !only(parts[i], "_.-")) {
        throw invalid(specifier, "invalid component " + quote(parts[i]));
      }
    }
    String os = normalizeOs(osName);
    switch (parts.length) {
      case 1:
        if (KNOWN_OS.contains(os)) {
          Platform host = defaultPlatform();
          String variant =
              "arm".equals(host.architecture()) && !"v7".equals(host.variant())
                  ? host.variant()
                  : null;
          return new Platform(os, host.architecture(), variant, osVersion, List.of());
        }
        String[] arch = normalizeArch(parts[0], null);
        if (osVersion == null && KNOWN_ARCH.contains(arch[0])) {
          return Platform.of("linux", arch[0], impliedArmVariantDropped(arch));
        }
        throw invalid(specifier, "unknown operating system or architecture");
      case 2:
        String[] osArch = normalizeArch(parts[1], null);
        return new Platform(os, osArch[0], impliedArmVariantDropped(osArch), osVersion, List.of());
      default:
        String[] full = normalizeArch(parts[1], parts[2]);
        String variant = "arm64".equals(full[0]) && full[1] == null ? "v8" : full[1];
        return new Platform(os, full[0], variant, osVersion, List.of());
    }
  }

  /**
   * {@code os/arch[/variant]}; {@code unknown} when the os is empty. The os version and os features
   * are not part of the specifier.
   *
   * @param platform the platform to write
   * @return its specifier, e.g. {@code linux/arm64/v8}
   */
  public static String format(Platform platform) {
    if (platform == null) {
      throw new InvalidArgumentException("cannot format a null platform");
    }
    if (platform.os().isEmpty()) {
      return "unknown";
    }
    StringBuilder b = new StringBuilder(platform.os());
    if (!platform.architecture().isEmpty()) {
      b.append('/').append(platform.architecture());
    }
    if (platform.variant() != null) {
      b.append('/').append(platform.variant());
    }
    return b.toString();
  }

  /**
   * The canonical form used for matching, as containerd's {@code Normalize}: lower case; {@code
   * macos} → darwin, an empty os → this machine's; {@code i386} → 386; {@code x86_64}/{@code
   * x86-64} → amd64 (variant v1 dropped); {@code aarch64} → arm64 (variants {@code 8}, {@code v8},
   * {@code v8.0} dropped, {@code 9}, {@code 9.0}, {@code v9.0} → v9); {@code armhf} → arm/v7;
   * {@code armel} → arm/v6; arm with no variant or {@code 7} → v7, {@code 5}, {@code 6}, {@code 8}
   * → v5, v6, v8. The os version and os features are kept.
   *
   * @param platform the platform as an image or a user spells it
   * @return the canonical platform
   * @throws InvalidArgumentException when {@code platform} is null
   */
  public static Platform normalize(Platform platform) {
    if (platform == null) {
      throw new InvalidArgumentException("cannot normalise a null platform");
    }
    String os = platform.os().isEmpty() ? defaultPlatform().os() : normalizeOs(platform.os());
    String[] arch = normalizeArch(platform.architecture(), platform.variant());
    return new Platform(os, arch[0], arch[1], platform.osVersion(), platform.osFeatures());
  }

  /**
   * {@return the platform of this JVM, from {@code os.name} and {@code os.arch} (arm64 as {@code
   * v8})}
   */
  public static Platform defaultPlatform() {
    return HostPlatform.from(System.getProperty("os.name"), System.getProperty("os.arch"));
  }

  /**
   * Matches {@code platform} and what a host of that platform also runs, preferring the closest, as
   * containerd's {@code platforms.Only}: linux/arm64 also accepts arm/v8 … v5, arm/v7 accepts v6
   * and v5, amd64/v3 accepts v2 and v1 and then 386, arm64/v8.2 accepts v8.1 and v8.
   *
   * @param platform the host platform
   * @return a matcher of the platforms that host runs, closest first
   */
  public static MatchComparer only(Platform platform) {
    return ordered(CompatibilityVector.of(normalize(platform)).toArray(new Platform[0]));
  }

  /**
   * Matches only {@code platform} itself (in any spelling that normalises alike).
   *
   * @param platform the only platform accepted
   * @return the matcher
   */
  public static MatchComparer onlyStrict(Platform platform) {
    return ordered(normalize(platform));
  }

  /**
   * Matches any of {@code platforms}, preferring them in the order given.
   *
   * @param platforms the platforms accepted, most preferred first
   * @return the matcher
   */
  public static MatchComparer ordered(Platform... platforms) {
    return new OrderedMatchComparer(matchers(platforms));
  }

  /**
   * Matches any of {@code platforms} with no preference between them.
   *
   * @param platforms the platforms accepted
   * @return the matcher
   */
  public static MatchComparer any(Platform... platforms) {
    return new AnyMatchComparer(matchers(platforms));
  }

  /** {@return a matcher of every platform, with no preference} */
  public static MatchComparer all() {
    return AllMatchComparer.INSTANCE;
  }

  /**
   * The matcher for what this machine runs, containerd's {@code platforms.Default()} (the rule of
   * {@code client.Pull}, which keeps only the best match): {@link #only(Platform) only}{@code
   * (defaultPlatform())} on Linux; elsewhere (a JVM on macOS or Windows usually pulls Linux images
   * for a VM) this machine's platform first, then linux on the same architecture, as containerd
   * does on macOS.
   *
   * @return the matcher for this machine
   */
  public static MatchComparer defaultMatcher() {
    Platform host = defaultPlatform();
    if ("linux".equals(host.os())) {
      return only(host);
    }
    List<Platform> preferred = new ArrayList<>(CompatibilityVector.of(normalize(host)));
    Platform linux = new Platform("linux", host.architecture(), host.variant(), null, List.of());
    preferred.addAll(CompatibilityVector.of(normalize(linux)));
    return ordered(preferred.toArray(new Platform[0]));
  }

  /**
   * This machine's platform matched exactly, as {@code ctr content fetch} and containerd's {@code
   * client.Fetch} without a platform ({@code platforms.Any(Normalize(DefaultSpec()))}): on
   * linux/amd64 it takes linux/amd64 only, not linux/386. The default of {@link
   * dev.hoist.client.RemoteContext}. On a JVM that is not on Linux (which usually pulls Linux
   * images for a VM) this machine's platform first, then linux on the same architecture, both
   * exact. For what a host can also run (containerd's {@code Pull}), use {@link #defaultMatcher()}.
   *
   * @return an exact matcher for this machine
   */
  public static MatchComparer defaultStrict() {
    Platform host = normalize(defaultPlatform());
    if ("linux".equals(host.os())) {
      return ordered(host);
    }
    Platform linux = new Platform("linux", host.architecture(), host.variant(), null, List.of());
    return ordered(host, linux);
  }

  private static List<PlatformSpecMatcher> matchers(Platform... platforms) {
    if (platforms == null) {
      throw new InvalidArgumentException("platforms: null array");
    }
    List<PlatformSpecMatcher> matchers = new ArrayList<>(platforms.length);
    for (int i = 0; i < platforms.length; i++) {
      if (platforms[i] == null) {
        throw new InvalidArgumentException("platforms: null platform at index " + i);
      }
      matchers.add(new PlatformSpecMatcher(platforms[i]));
    }
    return matchers;
  }

  private static String normalizeOs(String os) {
    String lower = os.toLowerCase(Locale.ROOT);
    return lower.equals("macos") ? "darwin" : lower;
  }

  /** containerd's {@code normalizeArch}; returns {architecture, variant or null}. */
  private static String[] normalizeArch(String architecture, String variant) {
    String arch = architecture.toLowerCase(Locale.ROOT);
    String v = variant == null ? "" : variant.toLowerCase(Locale.ROOT);
    switch (arch) {
      case "i386":
        arch = "386";
        v = "";
        break;
      case "x86_64":
      case "x86-64":
      case "amd64":
        arch = "amd64";
        if (v.equals("v1")) {
          v = "";
        }
        break;
      case "aarch64":
      case "arm64":
        arch = "arm64";
        if (v.equals("8") || v.equals("v8") || v.equals("v8.0")) {
          v = "";
        } else if (v.equals("9") || v.equals("9.0") || v.equals("v9.0")) {
          v = "v9";
        }
        break;
      case "armhf":
        arch = "arm";
        v = "v7";
        break;
      case "armel":
        arch = "arm";
        v = "v6";
        break;
      case "arm":
        if (v.isEmpty() || v.equals("7")) {
          v = "v7";
        } else if (v.equals("5") || v.equals("6") || v.equals("8")) {
          v = "v" + v;
        }
        break;
      default:
        break;
    }
    return new String[] {arch, v.isEmpty() ? null : v};
  }

  /** containerd's specifiers leave arm's common v7 implied: {@code linux/arm}, not {@code /v7}. */
  private static String impliedArmVariantDropped(String[] arch) {
    return "arm".equals(arch[0]) && "v7".equals(arch[1]) ? null : arch[1];
  }

  private static InvalidArgumentException invalid(String specifier, String why) {
    return new InvalidArgumentException(
        "invalid platform specifier " + quote(specifier) + ": " + why);
  }

  private static String quote(String s) {
    String shown = s.length() > 200 ? s.substring(0, 200) + "…" : s;
    StringBuilder b = new StringBuilder("\"");
    for (char c : shown.toCharArray()) {
      b.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
    }
    return b.append('"').toString();
  }

  /** Whether every character of {@code s} is an ASCII letter or digit or one of {@code extra}. */
  private static boolean only(String s, String extra) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || extra.indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
