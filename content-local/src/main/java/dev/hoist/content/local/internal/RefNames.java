package dev.hoist.content.local.internal;

import java.util.regex.Pattern;

/**
 * The {@code org.opencontainers.image.ref.name} an image gets in {@code index.json}. The OCI image
 * spec's grammar for it ({@code component ("/" component)*}, components of alphanumerics joined by
 * {@code - . _ : @ +} or {@code --}) admits most full names ({@code
 * docker.io/library/nginx:latest}) but not a bracketed IPv6 host ({@code [::1]:5000/x:1}); tools
 * that check it (skopeo) refuse such an entry. The full name is always kept in {@code
 * io.containerd.image.name}.
 */
final class RefNames {

  private static final String COMPONENT = "[A-Za-z0-9]+(?:(?:[-._:@+]|--)[A-Za-z0-9]+)*";
  private static final Pattern REF = Pattern.compile(COMPONENT + "(?:/" + COMPONENT + ")*");

  private RefNames() {}

  /**
   * {@code fullName} when the grammar allows it; else the name without its host ({@code x:1}), when
   * that fits; else null (no {@code ref.name} is written).
   */
  static String annotation(String fullName) {
    if (valid(fullName)) {
      return fullName;
    }
    int slash = fullName.indexOf('/');
    if (slash > 0 && valid(fullName.substring(slash + 1))) {
      return fullName.substring(slash + 1);
    }
    return null;
  }

  static boolean valid(String name) {
    return name != null && REF.matcher(name).matches();
  }
}
