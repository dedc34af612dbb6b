package dev.hoist.platforms;

import dev.hoist.spec.Platform;
import java.util.ArrayList;
import java.util.List;

/**
 * The platforms a host of a given platform can run, most preferred first: the vector behind {@link
 * Platforms#only(Platform)}, with containerd's rules ({@code platforms/compare.go}).
 */
final class CompatibilityVector {

  private CompatibilityVector() {}

  /**
   * For a normalised platform: amd64/vN also runs amd64/vN-1 … v1, then 386; arm/vN runs arm/vN-1 …
   * v5; arm64/v8.x runs arm64/v8.x-1 … v8; arm64/v9.x runs arm64/v9.x-1 … v9 and then v8.(x+5, at
   * most 9) … v8; every arm64 runs arm/v8 … v5.
   */
  static List<Platform> of(Platform p) {
    List<Platform> vector = new ArrayList<>();
    vector.add(p);
    switch (p.architecture()) {
      case "amd64":
        int amd64 = p.variant() == null ? 1 : versionNumber(p.variant());
        for (int v = amd64 - 1; v >= 1; v--) {
          vector.add(like(p, "amd64", "v" + v));
        }
        vector.add(like(p, "386", null));
        break;
      case "arm":
        int arm = versionNumber(p.variant());
        for (int v = arm - 1; v >= 5; v--) {
          vector.add(like(p, "arm", "v" + v));
        }
        break;
      case "arm64":
        addArm64(p, vector);
        break;
      default:
        break;
    }
    return vector;
  }

  private static void addArm64(Platform p, List<Platform> vector) {
    String variant = p.variant() == null ? "v8" : p.variant();
    if (!variant.startsWith("v")) {
      return;
    }
    String[] majorMinor = variant.substring(1).split("\\.", -1);
    int major = parse(majorMinor[0]);
    int minor = majorMinor.length == 2 ? parse(majorMinor[1]) : (majorMinor.length == 1 ? 0 : -1);
    if (major < 8 || minor < 0) {
      return; // not a variant containerd knows how to relate to others
    }
    if (major == 9) {
      for (int m = minor - 1; m >= 0; m--) {
        vector.add(like(p, "arm64", arm64Variant(9, m)));
      }
      // v9.0 branched from v8.5, so v9.x runs v8.(x+5) up to v8.9.
      minor = Math.min(minor + 5, 9);
      major = 8;
      vector.add(like(p, "arm64", arm64Variant(8, minor)));
    }
    for (int m = minor - 1; m >= 0; m--) {
      vector.add(like(p, "arm64", arm64Variant(major, m)));
    }
    // Every 64-bit arm runs 32-bit arm/v8 and below.
    vector.addAll(of(like(p, "arm", "v8")));
  }

  private static String arm64Variant(int major, int minor) {
    return minor == 0 ? "v" + major : "v" + major + "." + minor;
  }

  private static Platform like(Platform p, String architecture, String variant) {
    return new Platform(p.os(), architecture, variant, p.osVersion(), p.osFeatures());
  }

  /** {@code v7} → 7; anything else → -1. */
  private static int versionNumber(String variant) {
    if (variant == null || !variant.startsWith("v")) {
      return -1;
    }
    return parse(variant.substring(1));
  }

  private static int parse(String digits) {
    if (digits.isEmpty()
        || digits.length() > 3
        || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return -1;
    }
    return Integer.parseInt(digits);
  }
}
