package dev.hoist.digest;

import dev.hoist.digest.internal.Sha256WarmUp;
import dev.hoist.errors.InvalidArgumentException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Hashes a stream of bytes incrementally. Not thread-safe. */
public final class Digester {

  private final String algorithm;
  private final MessageDigest md;
  private long count;

  private Digester(String algorithm, MessageDigest md) {
    this.algorithm = algorithm;
    this.md = md;
  }

  /** {@return a new sha256 digester} */
  public static Digester sha256() {
    return of(Digest.SHA256);
  }

  /**
   * A digester for {@code algorithm} ({@code sha256} or {@code sha512}).
   *
   * @param algorithm {@code sha256} or {@code sha512}
   * @return a new digester
   */
  public static Digester of(String algorithm) {
    String jca;
    if (Digest.SHA256.equals(algorithm)) {
      jca = "SHA-256";
    } else if (Digest.SHA512.equals(algorithm)) {
      jca = "SHA-512";
    } else {
      throw new InvalidArgumentException("unsupported digest algorithm \"" + algorithm + "\"");
    }
    if (jca.equals("SHA-256")) {
      Sha256WarmUp.startOnce();
      return new Digester(algorithm, copy(Sha256Prototype.INSTANCE, jca));
    }
    return new Digester(algorithm, copy(Sha512Prototype.INSTANCE, jca));
  }

  /**
   * One digest per algorithm, never updated, cloned for each digester (as Guava's hash functions
   * do): {@code MessageDigest.getInstance} looks the provider up and constructs its class by
   * reflection on every call, which in a fresh JVM also generates an accessor class once it has
   * been called 15 times. A digester therefore uses the provider that served the algorithm first in
   * this JVM. One holder class per algorithm, so that a JVM that never hashes with SHA-512 never
   * makes its prototype.
   */
  private static final class Sha256Prototype {
    static final MessageDigest INSTANCE = prototype("SHA-256");
  }

  private static final class Sha512Prototype {
    static final MessageDigest INSTANCE = prototype("SHA-512");
  }

  private static MessageDigest prototype(String jca) {
    try {
      return MessageDigest.getInstance(jca);
    } catch (NoSuchAlgorithmException e) {
      return null; // reported by copy, when a digester of it is asked for
    }
  }

  private static MessageDigest copy(MessageDigest prototype, String jca) {
    if (prototype != null) {
      try {
        return (MessageDigest) prototype.clone(); // reads the prototype only: thread-safe
      } catch (CloneNotSupportedException e) {
        // a provider whose digests cannot be cloned: a new instance each time
      }
    }
    try {
      return MessageDigest.getInstance(jca);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(jca + " missing from this JVM", e);
    }
  }

  /**
   * Hashes {@code len} bytes of {@code b} from {@code off}.
   *
   * @param b the buffer
   * @param off the index of the first byte to hash
   * @param len how many bytes to hash
   */
  public void update(byte[] b, int off, int len) {
    md.update(b, off, len);
    count += len;
  }

  /**
   * Consumes the remaining bytes of {@code buf}.
   *
   * @param buf hashed from its position to its limit; its position ends at the limit
   */
  public void update(ByteBuffer buf) {
    count += buf.remaining();
    md.update(buf);
  }

  /** {@return the number of bytes hashed so far} */
  public long count() {
    return count;
  }

  /** {@return the algorithm name, {@code sha256} or {@code sha512}} */
  public String algorithm() {
    return algorithm;
  }

  /** {@return the digest of everything hashed so far; the digester can continue afterwards} */
  public Digest digest() {
    try {
      MessageDigest copy = (MessageDigest) md.clone();
      return new Digest(algorithm, toHex(copy.digest()));
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("MessageDigest not cloneable", e);
    }
  }

  static String toHex(byte[] bytes) {
    char[] out = new char[bytes.length * 2];
    final char[] digits = "0123456789abcdef".toCharArray();
    for (int i = 0; i < bytes.length; i++) {
      out[2 * i] = digits[(bytes[i] >> 4) & 0xf];
      out[2 * i + 1] = digits[bytes[i] & 0xf];
    }
    return new String(out);
  }
}
