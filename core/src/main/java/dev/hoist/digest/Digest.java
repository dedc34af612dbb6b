package dev.hoist.digest;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.errors.internal.ServerText;
import java.nio.charset.StandardCharsets;

/**
 * A content digest, {@code algorithm:hex}. Only {@code sha256} (64 lower-case hex digits) and
 * {@code sha512} (128) are accepted, so a digest can be used as a file name and never becomes a
 * path such as {@code ../x}.
 *
 * @param algorithm {@code sha256} or {@code sha512}
 * @param hex the lower-case hex encoding of the hash
 */
public record Digest(String algorithm, String hex) implements Comparable<Digest> {

  /** The sha256 algorithm name. */
  public static final String SHA256 = "sha256";

  /** The sha512 algorithm name. */
  public static final String SHA512 = "sha512";

  /**
   * Validates the algorithm and the hex length and alphabet; throws naming the input.
   *
   * @param algorithm {@code sha256} or {@code sha512}
   * @param hex the lower-case hex encoding of the hash
   */
  public Digest {
    if (algorithm == null || hex == null) {
      throw new InvalidArgumentException(
          "invalid digest: null " + (algorithm == null ? "algorithm" : "hex"));
    }
    int want = hexLength(algorithm);
    if (want < 0) {
      throw new InvalidArgumentException(
          "invalid digest "
              + quote(algorithm + ":" + hex)
              + ": unsupported algorithm "
              + quote(algorithm));
    }
    if (hex.length() != want || !isLowerHex(hex)) {
      throw new InvalidArgumentException(
          "invalid digest "
              + quote(algorithm + ":" + hex)
              + ": "
              + algorithm
              + " needs "
              + want
              + " lower-case hex digits");
    }
  }

  /**
   * Parses {@code algorithm:hex}; throws {@link InvalidArgumentException} naming the input.
   *
   * @param s the digest text, e.g. {@code sha256:} and 64 hex digits
   * @return the digest
   * @throws InvalidArgumentException when {@code s} is null, has no algorithm, or fails the
   *     algorithm and hex checks
   */
  @JsonCreator
  public static Digest parse(String s) {
    if (s == null) {
      throw new InvalidArgumentException("invalid digest: null");
    }
    int colon = s.indexOf(':');
    if (colon <= 0) {
      throw new InvalidArgumentException("invalid digest " + quote(s) + ": expected algorithm:hex");
    }
    return new Digest(s.substring(0, colon), s.substring(colon + 1));
  }

  /**
   * True when {@code s} parses as a digest.
   *
   * @param s the text to check; nullable
   * @return whether {@link #parse} accepts it
   */
  public static boolean isValid(String s) {
    try {
      parse(s);
      return true;
    } catch (InvalidArgumentException e) {
      return false;
    }
  }

  /**
   * The sha256 digest of {@code data}.
   *
   * @param data the bytes to hash
   * @return their sha256 digest
   */
  public static Digest sha256(byte[] data) {
    if (data == null) {
      throw new InvalidArgumentException("cannot digest null data");
    }
    Digester d = Digester.sha256();
    d.update(data, 0, data.length);
    return d.digest();
  }

  /**
   * The sha256 digest of the UTF-8 bytes of {@code s}, as containerd's {@code FromString}.
   *
   * @param s the text to hash
   * @return the sha256 digest of its UTF-8 bytes
   */
  public static Digest sha256(String s) {
    if (s == null) {
      throw new InvalidArgumentException("cannot digest a null string");
    }
    return sha256(s.getBytes(StandardCharsets.UTF_8));
  }

  /** {@return the encoded part, {@code hex}, as containerd's {@code Encoded()}} */
  public String encoded() {
    return hex;
  }

  @JsonValue
  // Written out, here and in hashCode: a record's generated equals and hashCode are linked by
  // method handles on first use, which costs a fresh JVM milliseconds on every fetch.
  @Override
  public boolean equals(Object o) {
    return o instanceof Digest d && d.algorithm.equals(algorithm) && d.hex.equals(hex);
  }

  @Override
  public int hashCode() {
    return 31 * algorithm.hashCode() + hex.hashCode();
  }

  @Override
  public String toString() {
    return algorithm + ":" + hex;
  }

  @Override
  public int compareTo(Digest o) {
    return toString().compareTo(o.toString());
  }

  static int hexLength(String algorithm) {
    switch (algorithm) {
      case SHA256:
        return 64;
      case SHA512:
        return 128;
      default:
        return -1;
    }
  }

  private static boolean isLowerHex(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  private static String quote(String s) {
    String shown = s.length() > 200 ? s.substring(0, 200) + "…" : s;
    StringBuilder b = new StringBuilder("\"");
    for (char c : shown.toCharArray()) {
      // C1 and bidi controls too: a digest often comes from a server's header.
      b.append(ServerText.isUnsafe(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
    }
    return b.append('"').toString();
  }
}
