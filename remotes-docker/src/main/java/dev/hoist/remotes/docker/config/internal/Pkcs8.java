package dev.hoist.remotes.docker.config.internal;

import dev.hoist.errors.InvalidArgumentException;
import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;

/**
 * Private keys as PKCS#8, the one form the JDK's key factories read: PKCS#1 RSA and SEC1 EC keys
 * (what {@code openssl genrsa} / {@code ecparam -genkey} write) are wrapped in a PKCS#8
 * PrivateKeyInfo with a little DER, which is all BouncyCastle was needed for.
 */
final class Pkcs8 {

  /** DER of OID 1.2.840.113549.1.1.1 (rsaEncryption) followed by NULL. */
  private static final byte[] RSA_ALGORITHM = {
    0x06,
    0x09,
    0x2a,
    (byte) 0x86,
    0x48,
    (byte) 0x86,
    (byte) 0xf7,
    0x0d,
    0x01,
    0x01,
    0x01,
    0x05,
    0x00
  };

  /** DER of OID 1.2.840.10045.2.1 (id-ecPublicKey). */
  private static final byte[] EC_PUBLIC_KEY = {
    0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01
  };

  private static final byte[] VERSION_0 = {0x02, 0x01, 0x00};
  private static final String[] ALGORITHMS = {"RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS", "DSA"};

  private Pkcs8() {}

  /** The key in a PKCS#8 PrivateKeyInfo, whatever its algorithm. */
  static PrivateKey privateKey(byte[] pkcs8, String where) {
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(pkcs8);
    for (String algorithm : ALGORITHMS) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException | RuntimeException e) {
        // not this algorithm (or not available in this JDK): try the next
      }
    }
    throw new InvalidArgumentException(where + ": malformed or unsupported private key");
  }

  /** PKCS#1 RSAPrivateKey → PrivateKeyInfo { 0, rsaEncryption, OCTET STRING(pkcs1) }. */
  static byte[] fromPkcs1(byte[] pkcs1) {
    return tlv(0x30, concat(VERSION_0, tlv(0x30, RSA_ALGORITHM), tlv(0x04, pkcs1)));
  }

  /**
   * SEC1 ECPrivateKey {@code SEQUENCE { 1, OCTET STRING, [0] curve OID, [1] public key }} →
   * PrivateKeyInfo { 0, (id-ecPublicKey, curve), OCTET STRING(sec1) }. The curve must be named in
   * the key, as OpenSSL always writes it.
   */
  static byte[] fromSec1(byte[] sec1, String where) {
    Der seq = Der.read(sec1, 0, where);
    if (seq.tag() != 0x30) {
      throw new InvalidArgumentException(where + ": malformed EC private key");
    }
    int at = seq.contentStart();
    while (at < seq.end()) {
      Der field = Der.read(sec1, at, where);
      if (field.tag() == 0xa0) {
        Der oid = Der.read(sec1, field.contentStart(), where);
        if (oid.tag() != 0x06) {
          break;
        }
        byte[] curve = Arrays.copyOfRange(sec1, field.contentStart(), oid.end());
        return tlv(
            0x30, concat(VERSION_0, tlv(0x30, concat(EC_PUBLIC_KEY, curve)), tlv(0x04, sec1)));
      }
      at = field.end();
    }
    throw new InvalidArgumentException(where + ": EC private key does not name its curve");
  }

  /** One DER element of {@code der} at {@code start}: its tag and where its content lies. */
  private record Der(int tag, int contentStart, int end) {
    static Der read(byte[] der, int start, String where) {
      if (start + 2 > der.length) {
        throw new InvalidArgumentException(where + ": truncated key");
      }
      int tag = der[start] & 0xff;
      int len = der[start + 1] & 0xff;
      int at = start + 2;
      if (len >= 0x80) {
        int n = len & 0x7f;
        if (n == 0 || n > 3 || at + n > der.length) {
          throw new InvalidArgumentException(where + ": malformed key length");
        }
        len = 0;
        for (int i = 0; i < n; i++) {
          len = (len << 8) | (der[at++] & 0xff);
        }
      }
      if (at + len > der.length) {
        throw new InvalidArgumentException(where + ": truncated key");
      }
      return new Der(tag, at, at + len);
    }
  }

  private static byte[] tlv(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
    out.write(tag);
    int len = content.length;
    if (len < 0x80) {
      out.write(len);
    } else if (len < 0x100) {
      out.write(0x81);
      out.write(len);
    } else if (len < 0x10000) {
      out.write(0x82);
      out.write(len >> 8);
      out.write(len);
    } else {
      out.write(0x83);
      out.write(len >> 16);
      out.write(len >> 8);
      out.write(len);
    }
    out.writeBytes(content);
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
