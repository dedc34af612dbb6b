package dev.hoist.platforms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.hoist.spec.Platform;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MatchComparersTest {

  private static Platform p(String os, String arch, String variant) {
    return Platform.of(os, arch, variant);
  }

  private static Platform withFeatures(String os, String arch, String... features) {
    return new Platform(os, arch, null, null, List.of(features));
  }

  private static Platform windows(String osVersion) {
    return new Platform("windows", "amd64", null, osVersion, List.of());
  }

  /** wanted platform, candidate, whether only(wanted) matches it. */
  static Stream<Arguments> onlyCases() {
    Platform arm64 = p("linux", "arm64", null);
    Platform armV7 = p("linux", "arm", "v7");
    Platform amd64V3 = p("linux", "amd64", "v3");
    Platform amd64 = p("linux", "amd64", null);
    return Stream.of(
        arguments(arm64, p("linux", "arm64", null), true),
        arguments(arm64, p("linux", "arm64", "v8"), true),
        arguments(arm64, p("linux", "aarch64", null), true),
        arguments(arm64, p("linux", "arm", "v8"), true),
        arguments(arm64, p("linux", "arm", "v7"), true),
        arguments(arm64, p("linux", "arm", null), true),
        arguments(arm64, p("linux", "arm", "v6"), true),
        arguments(arm64, p("linux", "arm", "v5"), true),
        arguments(arm64, p("linux", "amd64", null), false),
        arguments(arm64, p("windows", "arm64", null), false),
        arguments(arm64, p("linux", "arm64", "v9"), false),
        arguments(arm64, p("linux", "arm64", "v8.1"), false),
        arguments(p("linux", "arm64", "v8"), p("linux", "arm", "v5"), true),
        arguments(p("linux", "arm64", "v8.2"), p("linux", "arm64", "v8.1"), true),
        arguments(p("linux", "arm64", "v8.2"), p("linux", "arm64", null), true),
        arguments(p("linux", "arm64", "v8.2"), p("linux", "arm64", "v8.3"), false),
        arguments(p("linux", "arm64", "v8.2"), p("linux", "arm", "v7"), true),
        arguments(p("linux", "arm64", "v9"), p("linux", "arm64", "v8.5"), true),
        arguments(p("linux", "arm64", "v9"), p("linux", "arm64", "v8.6"), false),
        arguments(p("linux", "arm64", "v9"), p("linux", "arm64", "v8"), true),
        arguments(p("linux", "arm64", "v9.1"), p("linux", "arm64", "v9"), true),
        arguments(p("linux", "arm64", "v9.1"), p("linux", "arm64", "v8.6"), true),
        arguments(p("linux", "arm64", "v9"), p("linux", "arm", "v8"), true),
        arguments(armV7, p("linux", "arm", "v7"), true),
        arguments(armV7, p("linux", "arm", null), true),
        arguments(armV7, p("linux", "armhf", null), true),
        arguments(armV7, p("linux", "arm", "v6"), true),
        arguments(armV7, p("linux", "armel", null), true),
        arguments(armV7, p("linux", "arm", "v5"), true),
        arguments(armV7, p("linux", "arm", "v8"), false),
        arguments(armV7, p("linux", "arm64", null), false),
        arguments(p("linux", "arm", "v6"), p("linux", "arm", "v5"), true),
        arguments(p("linux", "arm", "v6"), p("linux", "arm", "v7"), false),
        arguments(amd64V3, p("linux", "amd64", "v3"), true),
        arguments(amd64V3, p("linux", "amd64", "v2"), true),
        arguments(amd64V3, p("linux", "amd64", "v1"), true),
        arguments(amd64V3, p("linux", "amd64", null), true),
        arguments(amd64V3, p("linux", "x86_64", null), true),
        arguments(amd64V3, p("linux", "386", null), true),
        arguments(amd64V3, p("linux", "amd64", "v4"), false),
        arguments(amd64V3, p("linux", "arm64", null), false),
        arguments(amd64, p("linux", "amd64", "v1"), true),
        arguments(amd64, p("linux", "i386", null), true),
        arguments(amd64, p("linux", "amd64", "v2"), false),
        arguments(amd64, p("darwin", "amd64", null), false),
        arguments(amd64, null, false),
        arguments(windows("10.0.17763"), windows("10.0.17763.1234"), true),
        arguments(windows("10.0.17763"), windows(null), true),
        arguments(windows("10.0.17763"), windows("10.0.20348.1"), false),
        arguments(windows(null), windows("10.0.20348.1"), true),
        arguments(
            withFeatures("linux", "amd64", "a", "b"), withFeatures("linux", "amd64", "a"), true),
        arguments(withFeatures("linux", "amd64", "a", "b"), withFeatures("linux", "amd64"), true),
        arguments(
            withFeatures("linux", "amd64", "a", "b"),
            withFeatures("linux", "amd64", "b", "a"),
            true),
        arguments(
            withFeatures("linux", "amd64", "a", "b"), withFeatures("linux", "amd64", "c"), false),
        arguments(withFeatures("linux", "amd64"), withFeatures("linux", "amd64", "a"), false));
  }

  @ParameterizedTest(name = "only({0}) matches {1}: {2}")
  @MethodSource("onlyCases")
  void onlyAcceptsWhatTheHostCanRun(Platform wanted, Platform candidate, boolean matches) {
    assertThat(Platforms.only(wanted).match(candidate)).isEqualTo(matches);
  }

  /** wanted platform, candidate, whether onlyStrict(wanted) matches it. */
  static Stream<Arguments> onlyStrictCases() {
    return Stream.of(
        arguments(p("linux", "arm64", null), p("linux", "arm64", "v8"), true),
        arguments(p("linux", "arm64", "v8"), p("linux", "aarch64", null), true),
        arguments(p("linux", "arm64", null), p("linux", "arm", "v7"), false),
        arguments(p("linux", "arm", "v7"), p("linux", "arm", null), true),
        arguments(p("linux", "arm", "v7"), p("linux", "arm", "v6"), false),
        arguments(p("linux", "amd64", null), p("linux", "386", null), false),
        arguments(p("linux", "amd64", "v3"), p("linux", "amd64", "v2"), false),
        arguments(p("linux", "amd64", "v1"), p("linux", "x86_64", null), true));
  }

  @ParameterizedTest(name = "onlyStrict({0}) matches {1}: {2}")
  @MethodSource("onlyStrictCases")
  void onlyStrictAcceptsNoCompatiblePlatforms(
      Platform wanted, Platform candidate, boolean matches) {
    assertThat(Platforms.onlyStrict(wanted).match(candidate)).isEqualTo(matches);
  }

  static Stream<Arguments> preferenceOrders() {
    return Stream.of(
        arguments(
            Platforms.only(p("linux", "arm64", null)),
            List.of(
                p("linux", "arm", "v5"),
                p("linux", "amd64", null),
                p("linux", "arm", "v7"),
                p("linux", "arm64", null),
                p("linux", "arm", "v6"),
                p("linux", "arm", "v8")),
            List.of(
                p("linux", "arm64", null),
                p("linux", "arm", "v8"),
                p("linux", "arm", "v7"),
                p("linux", "arm", "v6"),
                p("linux", "arm", "v5"),
                p("linux", "amd64", null))),
        arguments(
            Platforms.only(p("linux", "amd64", "v3")),
            List.of(
                p("linux", "386", null),
                p("linux", "amd64", null),
                p("linux", "amd64", "v2"),
                p("linux", "amd64", "v3")),
            List.of(
                p("linux", "amd64", "v3"),
                p("linux", "amd64", "v2"),
                p("linux", "amd64", null),
                p("linux", "386", null))),
        arguments(
            Platforms.ordered(p("linux", "arm64", null), p("linux", "amd64", null)),
            List.of(
                p("linux", "s390x", null), p("linux", "amd64", null), p("linux", "arm64", null)),
            List.of(
                p("linux", "arm64", null), p("linux", "amd64", null), p("linux", "s390x", null))),
        arguments(
            Platforms.ordered(withFeatures("windows", "amd64", "win32k")),
            List.of(withFeatures("windows", "amd64"), withFeatures("windows", "amd64", "win32k")),
            List.of(withFeatures("windows", "amd64", "win32k"), withFeatures("windows", "amd64"))));
  }

  @ParameterizedTest
  @MethodSource("preferenceOrders")
  void sortsPreferredPlatformsFirst(
      MatchComparer comparer, List<Platform> input, List<Platform> expected) {
    List<Platform> sorted = new ArrayList<>(input);
    sorted.sort(comparer);

    assertThat(sorted).containsExactlyElementsOf(expected);
  }

  @Test
  void orderedIsAConsistentTotalOrder() {
    MatchComparer c = Platforms.only(p("linux", "arm64", "v8.2"));
    List<Platform> all = new ArrayList<>();
    for (String arch : List.of("arm64", "arm", "amd64")) {
      for (String variant : new String[] {null, "v5", "v7", "v8", "v8.1", "v8.2", "v9"}) {
        all.add(p("linux", arch, variant));
        all.add(new Platform("linux", arch, variant, null, List.of("f")));
      }
    }
    all.add(null);
    List<String> violations = new ArrayList<>();
    for (Platform a : all) {
      if (c.compare(a, a) != 0) {
        violations.add("compare(a, a) != 0 for " + a);
      }
      for (Platform b : all) {
        int ab = c.compare(a, b);
        if (Integer.signum(ab) != -Integer.signum(c.compare(b, a))) {
          violations.add("not antisymmetric: " + a + ", " + b);
        }
        for (Platform x : all) {
          if (ab <= 0 && c.compare(b, x) <= 0 && c.compare(a, x) > 0) {
            violations.add("not transitive: " + a + " <= " + b + " <= " + x);
          }
        }
      }
    }
    assertThat(violations).isEmpty();
  }

  @Test
  void orderedMatchesOnlyItsPlatformsWithoutCompatibilityVector() {
    MatchComparer c = Platforms.ordered(p("linux", "arm64", null), p("linux", "amd64", null));

    assertThat(c.match(p("linux", "amd64", null))).isTrue();
    assertThat(c.match(p("linux", "aarch64", "v8"))).isTrue();
    assertThat(c.match(p("linux", "arm", "v7"))).isFalse();
    assertThat(c.match(p("linux", "386", null))).isFalse();
  }

  @Test
  void anyMatchesItsPlatformsWithoutPreference() {
    MatchComparer c = Platforms.any(p("linux", "amd64", null), p("linux", "arm64", null));

    assertThat(c.match(p("linux", "x86_64", null))).isTrue();
    assertThat(c.match(p("linux", "arm64", "v8"))).isTrue();
    assertThat(c.match(p("linux", "arm", "v7"))).isFalse();
    assertThat(c.match(null)).isFalse();
    assertThat(c.compare(p("linux", "amd64", null), p("linux", "arm64", null))).isZero();
    assertThat(c.compare(p("linux", "arm64", null), p("linux", "s390x", null))).isZero();
  }

  @Test
  void anyOfNothingMatchesNothing() {
    assertThat(Platforms.any().match(p("linux", "amd64", null))).isFalse();
  }

  @Test
  void allMatchesEverythingWithoutPreference() {
    MatchComparer c = Platforms.all();

    assertThat(c.match(p("plan9", "mips", null))).isTrue();
    assertThat(c.match(null)).isTrue();
    assertThat(c.compare(p("linux", "amd64", null), p("windows", "arm64", null))).isZero();
  }
}
