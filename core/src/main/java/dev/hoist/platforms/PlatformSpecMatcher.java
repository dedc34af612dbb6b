package dev.hoist.platforms;

import dev.hoist.spec.Platform;
import java.util.Objects;
import java.util.Set;

/**
 * Matches one platform, as containerd's default {@code platforms.NewMatcher}: equal normalised os,
 * architecture and variant; the candidate's os features must all be in this platform's; for
 * Windows, a candidate with an os version must share its {@code major.minor.build}.
 */
final class PlatformSpecMatcher implements PlatformMatcher {

  private final Platform spec;
  private final Set<String> features;
  private final String windowsBuild;

  PlatformSpecMatcher(Platform platform) {
    this.spec = Platforms.normalize(platform);
    this.features = Set.copyOf(spec.osFeatures());
    this.windowsBuild =
        "windows".equals(spec.os()) && spec.osVersion() != null ? build(spec.osVersion()) : null;
  }

  @Override
  public boolean match(Platform candidate) {
    return candidate != null && matchNormalized(Platforms.normalize(candidate));
  }

  /** {@link #match} for a candidate already normalised, so a comparer normalises it once. */
  boolean matchNormalized(Platform n) {
    return spec.os().equals(n.os())
        && spec.architecture().equals(n.architecture())
        && Objects.equals(spec.variant(), n.variant())
        && matchesOsVersion(n)
        && features.containsAll(n.osFeatures());
  }

  /** The normalised platform this matcher accepts. */
  Platform platform() {
    return spec;
  }

  private boolean matchesOsVersion(Platform candidate) {
    // As containerd's Windows matcher: same build, or the candidate does not say.
    return windowsBuild == null
        || candidate.osVersion() == null
        || windowsBuild.equals(build(candidate.osVersion()));
  }

  /** {@code 10.0.17763.1234} → {@code 10.0.17763}. */
  private static String build(String osVersion) {
    String[] parts = osVersion.split("\\.", -1);
    return parts.length <= 3 ? osVersion : parts[0] + "." + parts[1] + "." + parts[2];
  }

  @Override
  public String toString() {
    return Platforms.format(spec);
  }
}
