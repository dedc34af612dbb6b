package dev.hoist.content.local.internal;

/**
 * The {@code org.opencontainers.image.ref.name} an image gets in {@code index.json}. The OCI image
 * spec's grammar for it ({@code component ("/" component)*}, components of alphanumerics joined by
 * {@code - . _ : @ +} or {@code --}) admits most full names ({@code
 * docker.io/library/nginx:latest}) but not a bracketed IPv6 host ({@code [::1]:5000/x:1}); tools
 * that check it (skopeo) refuse such an entry. The full name is always kept in {@code
 * io.containerd.image.name}.
 */
final class RefNames {

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

  /**
   * Whether {@code name} is {@code component ("/" component)*}, a component being {@code
   * [A-Za-z0-9]+ (([-._:@+] | "--") [A-Za-z0-9]+)*}. Scanned by hand: a fresh JVM's first regular
   * expression costs milliseconds, and every fetch records an image.
   */
  static boolean valid(String name) {
    if (name == null) {
      return false;
    }
    int n = name.length();
    int i = 0;
    while (true) {
      int run = i;
      while (i < n && alphanumeric(name.charAt(i))) {
        i++;
      }
      if (i == run) {
        return false; // every component and every separator is followed by alphanumerics
      }
      if (i == n) {
        return true;
      }
      char c = name.charAt(i);
      if (c == '-' && i + 1 < n && name.charAt(i + 1) == '-') {
        i += 2;
      } else if (c == '/' || "-._:@+".indexOf(c) >= 0) {
        i++;
      } else {
        return false;
      }
    }
  }

  private static boolean alphanumeric(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }
}
