package dev.hoist.platforms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.spec.Platform;
import dev.hoist.testing.RandomStrings;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PlatformsTest {

  private static Platform p(String os, String arch, String variant) {
    return Platform.of(os, arch, variant);
  }

  static Stream<Arguments> specifiers() {
    String hostArch = Platforms.defaultPlatform().architecture();
    return Stream.of(
        arguments("linux/amd64", p("linux", "amd64", null)),
        arguments("linux/arm64", p("linux", "arm64", null)),
        arguments("linux/arm64/v8", p("linux", "arm64", "v8")),
        arguments("linux/aarch64", p("linux", "arm64", null)),
        arguments("linux/aarch64/8", p("linux", "arm64", "v8")),
        arguments("linux/arm64/v8.0", p("linux", "arm64", "v8")),
        arguments("linux/arm64/v8.2", p("linux", "arm64", "v8.2")),
        arguments("linux/arm64/9", p("linux", "arm64", "v9")),
        arguments("windows/amd64", p("windows", "amd64", null)),
        arguments("Linux/X86_64", p("linux", "amd64", null)),
        arguments("linux/x86-64", p("linux", "amd64", null)),
        arguments("linux/amd64/v3", p("linux", "amd64", "v3")),
        arguments("linux/amd64/v1", p("linux", "amd64", null)),
        arguments("linux/i386", p("linux", "386", null)),
        arguments("linux/armhf", p("linux", "arm", null)),
        arguments("linux/arm", p("linux", "arm", null)),
        arguments("linux/arm/v7", p("linux", "arm", "v7")),
        arguments("linux/arm/7", p("linux", "arm", "v7")),
        arguments("linux/armel", p("linux", "arm", "v6")),
        arguments("linux/arm/v6", p("linux", "arm", "v6")),
        arguments("linux/arm/5", p("linux", "arm", "v5")),
        arguments("macos/arm64", p("darwin", "arm64", null)),
        arguments("linux/ppc64le", p("linux", "ppc64le", null)),
        arguments("linux/riscv64", p("linux", "riscv64", null)),
        arguments("freebsd/amd64", p("freebsd", "amd64", null)),
        arguments("plan9/someday", p("plan9", "someday", null)),
        arguments("amd64", p("linux", "amd64", null)),
        arguments("arm64", p("linux", "arm64", null)),
        arguments("AARCH64", p("linux", "arm64", null)),
        arguments("armhf", p("linux", "arm", null)),
        arguments("armel", p("linux", "arm", "v6")),
        arguments("i386", p("linux", "386", null)),
        arguments("s390x", p("linux", "s390x", null)),
        arguments("linux", p("linux", hostArch, null)),
        arguments("windows", p("windows", hostArch, null)),
        arguments("macos", p("darwin", hostArch, null)),
        arguments(
            "windows(10.0.17763)/amd64",
            new Platform("windows", "amd64", null, "10.0.17763", List.of())));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("specifiers")
  void parsesSpecifier(String specifier, Platform expected) {
    assertThat(Platforms.parse(specifier)).isEqualTo(expected);
  }

  static Stream<Arguments> badSpecifiers() {
    return Stream.of(
        arguments("", "invalid os component"),
        arguments("/", "invalid os component"),
        arguments("/amd64", "invalid os component"),
        arguments("linux/", "invalid component"),
        arguments("linux//v7", "invalid component"),
        arguments("linux/amd64/", "invalid component"),
        arguments("linux/amd64/v3/extra", "expected <os>"),
        arguments("a/b/c/d/e/f/g", "expected <os>"),
        arguments("*", "wildcards"),
        arguments("linux/*", "wildcards"),
        arguments("notanos", "unknown operating system or architecture"),
        arguments("amd64(10.0)", "unknown operating system or architecture"),
        arguments("linux amd64", "invalid os component"),
        arguments("linux/am d64", "invalid component"),
        arguments("linux/amd64\n", "invalid component"),
        arguments("linux/amd64\r\nX: y", "invalid component"),
        arguments("lin(ux/amd64", "invalid os component"),
        arguments("linux(10.0/amd64", "invalid os component"),
        arguments("linux/amd64/v8:x", "invalid component"),
        arguments("línux/amd64", "invalid os component"));
  }

  @ParameterizedTest(name = "{0} ({1})")
  @MethodSource("badSpecifiers")
  void rejectsMalformedSpecifierNamingIt(String specifier, String reason) {
    String shown = specifier.replace("\n", "\\u000a").replace("\r", "\\u000d");
    assertThatThrownBy(() -> Platforms.parse(specifier))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining(reason)
        .hasMessageContaining("\"" + shown + "\"");
  }

  @Test
  void rejectsHugeSpecifierWithABoundedMessage() {
    String huge = "linux/" + "/".repeat(1_000_000);

    assertThatThrownBy(() -> Platforms.parse(huge))
        .isInstanceOf(InvalidArgumentException.class)
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(400));
  }

  @Test
  void rejectsNullSpecifier() {
    assertThatThrownBy(() -> Platforms.parse(null))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("null");
  }

  static Stream<Arguments> formats() {
    return Stream.of(
        arguments(p("linux", "amd64", null), "linux/amd64"),
        arguments(p("linux", "arm64", "v8"), "linux/arm64/v8"),
        arguments(p("linux", "arm", "v7"), "linux/arm/v7"),
        arguments(
            new Platform("windows", "amd64", null, "10.0.17763", List.of("win32k")),
            "windows/amd64"),
        arguments(p("", "amd64", null), "unknown"),
        arguments(p("linux", "", null), "linux"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("formats")
  void formatsOsArchVariant(Platform platform, String expected) {
    assertThat(Platforms.format(platform)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("canonicalSpecifiers")
  void formatOfParseIsTheCanonicalSpecifier(String specifier) {
    assertThat(Platforms.format(Platforms.parse(specifier))).isEqualTo(specifier);
  }

  static Stream<String> canonicalSpecifiers() {
    return Stream.of(
        "linux/amd64",
        "linux/arm64/v8",
        "linux/arm/v6",
        "windows/amd64",
        "linux/amd64/v3",
        "linux/s390x",
        "darwin/arm64");
  }

  static Stream<Arguments> normalisations() {
    return Stream.of(
        arguments(p("linux", "x86_64", null), p("linux", "amd64", null)),
        arguments(p("linux", "x86-64", "v1"), p("linux", "amd64", null)),
        arguments(p("linux", "amd64", "v2"), p("linux", "amd64", "v2")),
        arguments(p("linux", "aarch64", null), p("linux", "arm64", null)),
        arguments(p("linux", "aarch64", "8"), p("linux", "arm64", null)),
        arguments(p("linux", "arm64", "v8"), p("linux", "arm64", null)),
        arguments(p("linux", "arm64", "v8.0"), p("linux", "arm64", null)),
        arguments(p("linux", "arm64", "v8.1"), p("linux", "arm64", "v8.1")),
        arguments(p("linux", "arm64", "9"), p("linux", "arm64", "v9")),
        arguments(p("linux", "arm64", "9.0"), p("linux", "arm64", "v9")),
        arguments(p("linux", "arm64", "v9.0"), p("linux", "arm64", "v9")),
        arguments(p("linux", "armhf", null), p("linux", "arm", "v7")),
        arguments(p("linux", "armhf", "v5"), p("linux", "arm", "v7")),
        arguments(p("linux", "armel", null), p("linux", "arm", "v6")),
        arguments(p("linux", "arm", null), p("linux", "arm", "v7")),
        arguments(p("linux", "arm", "7"), p("linux", "arm", "v7")),
        arguments(p("linux", "arm", "5"), p("linux", "arm", "v5")),
        arguments(p("linux", "arm", "6"), p("linux", "arm", "v6")),
        arguments(p("linux", "arm", "8"), p("linux", "arm", "v8")),
        arguments(p("linux", "i386", "whatever"), p("linux", "386", null)),
        arguments(p("MacOS", "ARM64", "V8"), p("darwin", "arm64", null)),
        arguments(p("Windows", "AMD64", null), p("windows", "amd64", null)),
        arguments(p("linux", "riscv64", "rva22"), p("linux", "riscv64", "rva22")));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("normalisations")
  void normalisesArchitectureOsAndVariant(Platform input, Platform expected) {
    assertThat(Platforms.normalize(input)).isEqualTo(expected);
    assertThat(Platforms.normalize(expected)).as("idempotent").isEqualTo(expected);
  }

  @Test
  void normaliseKeepsOsVersionAndFeatures() {
    Platform win = new Platform("Windows", "x86_64", null, "10.0.20348", List.of("win32k"));

    assertThat(Platforms.normalize(win))
        .isEqualTo(new Platform("windows", "amd64", null, "10.0.20348", List.of("win32k")));
  }

  @Test
  void normaliseFillsAnEmptyOsWithThisMachines() {
    assertThat(Platforms.normalize(p("", "amd64", null)).os())
        .isEqualTo(Platforms.defaultPlatform().os());
  }

  static Stream<Arguments> hostProperties() {
    return Stream.of(
        arguments("Linux", "amd64", p("linux", "amd64", null)),
        arguments("Linux", "x86_64", p("linux", "amd64", null)),
        arguments("Linux", "aarch64", p("linux", "arm64", "v8")),
        arguments("Mac OS X", "aarch64", p("darwin", "arm64", "v8")),
        arguments("Mac OS X", "x86_64", p("darwin", "amd64", null)),
        arguments("Windows 11", "amd64", p("windows", "amd64", null)),
        arguments("Windows Server 2022", "x86", p("windows", "386", null)),
        arguments("Linux", "i686", p("linux", "386", null)),
        arguments("Linux", "arm", p("linux", "arm", "v7")),
        arguments("Linux", "ppc64le", p("linux", "ppc64le", null)),
        arguments("Linux", "s390x", p("linux", "s390x", null)),
        arguments("Linux", "riscv64", p("linux", "riscv64", null)),
        arguments("Linux", "loongarch64", p("linux", "loong64", null)),
        arguments("FreeBSD", "amd64", p("freebsd", "amd64", null)),
        arguments("SunOS", "sparcv9", p("solaris", "sparc64", null)),
        arguments("AIX", "ppc64", p("aix", "ppc64", null)),
        arguments(null, null, p("unknown", "unknown", null)));
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @MethodSource("hostProperties")
  void mapsJavaOsNameAndArchToPlatform(String osName, String osArch, Platform expected) {
    assertThat(HostPlatform.from(osName, osArch)).isEqualTo(expected);
  }

  @Test
  void defaultPlatformComesFromSystemProperties() {
    assertThat(Platforms.defaultPlatform())
        .isEqualTo(HostPlatform.from(System.getProperty("os.name"), System.getProperty("os.arch")));
  }

  @Test
  void defaultMatcherAcceptsThisMachinesPlatform() {
    MatchComparer m = Platforms.defaultMatcher();

    assertThat(m.match(Platforms.defaultPlatform())).isTrue();
    assertThat(m.match(p("plan9", "mips", null))).isFalse();
  }

  @Test
  void defaultStrictTakesThisMachinesPlatformButNotWhatItCanAlsoRun() {
    MatchComparer m = Platforms.defaultStrict();
    Platform host = Platforms.defaultPlatform();

    assertThat(m.match(host)).isTrue();
    assertThat(Platforms.defaultMatcher().match(p("linux", "386", null)))
        .isEqualTo("amd64".equals(host.architecture()));
    assertThat(m.match(p("linux", "386", null))).isEqualTo("386".equals(host.architecture()));
    assertThat(m.match(p("linux", "arm", "v7"))).isEqualTo("arm".equals(host.architecture()));
  }

  @Test
  void rejectsNullArguments() {
    assertThatThrownBy(() -> Platforms.normalize(null))
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> Platforms.format(null)).isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> Platforms.only(null)).isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> Platforms.ordered(p("linux", "amd64", null), null))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("index 1");
    assertThatThrownBy(() -> Platforms.any((Platform[]) null))
        .isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  void refusesExactlyTheOsAndComponentsTheGrammarRefuses() {
    Pattern os = Pattern.compile("([A-Za-z0-9_-]+)(?:\\(([A-Za-z0-9_.-]*)\\))?");
    Pattern component = Pattern.compile("[A-Za-z0-9_.-]+");
    RandomStrings.forEach(
        11,
        100_000,
        "lx9_-.()% ",
        7,
        s -> {
          assertThat(refusal(s)).as("os %s", s).isEqualTo(!os.matcher(s).matches());
          assertThat(refusal("linux/" + s))
              .as("component %s", s)
              .isEqualTo(!component.matcher(s).matches());
        });
  }

  /** Whether parse refuses the specifier for its characters (not for an unknown name). */
  private static boolean refusal(String specifier) {
    try {
      Platforms.parse(specifier);
      return false;
    } catch (InvalidArgumentException e) {
      return e.getMessage().contains("invalid os component")
          || e.getMessage().contains("invalid component");
    }
  }

  @Test
  void readsAnOsVersionInParentheses() {
    assertThat(Platforms.parse("windows(10.0.17763)/amd64").osVersion()).isEqualTo("10.0.17763");
    assertThat(Platforms.parse("linux/amd64").osVersion()).isNull();
  }
}
