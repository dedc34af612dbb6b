package dev.hoist.remotes.docker.config.internal;

import dev.hoist.errors.InvalidArgumentException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads certificates and private keys from PEM files with BouncyCastle's {@link PEMParser}
 * (certificates; PKCS#1 RSA, SEC1 EC and PKCS#8 keys). Uses the JDK's own key factories, so no
 * security provider is registered. Every failure names the file.
 */
public final class PemFiles {

  private PemFiles() {}

  /** The contents of one PEM file. */
  public record Contents(List<X509Certificate> certificates, List<PrivateKey> keys) {}

  /**
   * Reads the certificates of a CA file.
   *
   * @throws InvalidArgumentException when the file is unreadable, malformed or holds none
   */
  public static List<X509Certificate> certificates(Path file, String role) {
    Contents c = read(file, role);
    if (c.certificates().isEmpty()) {
      throw new InvalidArgumentException(role + " " + file + ": no PEM certificate found");
    }
    return c.certificates();
  }

  /**
   * Reads every certificate and key in {@code file}.
   *
   * @throws InvalidArgumentException when the file is unreadable or malformed, or holds an
   *     encrypted key
   */
  public static Contents read(Path file, String role) {
    List<X509Certificate> certs = new ArrayList<>();
    List<PrivateKey> keys = new ArrayList<>();
    JcaX509CertificateConverter certConverter = new JcaX509CertificateConverter();
    JcaPEMKeyConverter keyConverter = new JcaPEMKeyConverter();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        PEMParser parser = new PEMParser(r)) {
      Object o;
      while ((o = parser.readObject()) != null) {
        if (o instanceof X509CertificateHolder) {
          certs.add(certConverter.getCertificate((X509CertificateHolder) o));
        } else if (o instanceof PEMKeyPair) {
          // Only the private part: SEC1 EC keys may omit the optional public key.
          keys.add(keyConverter.getPrivateKey(((PEMKeyPair) o).getPrivateKeyInfo()));
        } else if (o instanceof PrivateKeyInfo) {
          keys.add(keyConverter.getPrivateKey((PrivateKeyInfo) o));
        } else if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
          throw new InvalidArgumentException(
              role + " " + file + ": the private key is encrypted; Hoist reads unencrypted keys"
                  + " only (decrypt it, e.g. with openssl pkey)");
        }
        // Other PEM objects (parameters, CSRs, public keys) are not needed and are skipped.
      }
    } catch (java.nio.file.NoSuchFileException e) {
      throw new InvalidArgumentException(role + " " + file + ": no such file", e);
    } catch (java.nio.charset.MalformedInputException e) {
      throw new InvalidArgumentException(role + " " + file + ": not a PEM file", e);
    } catch (IOException | CertificateException | RuntimeException e) {
      if (e instanceof InvalidArgumentException) {
        throw (InvalidArgumentException) e;
      }
      throw new InvalidArgumentException(
          role + " " + file + ": cannot read PEM: " + e.getMessage(), e);
    }
    return new Contents(List.copyOf(certs), List.copyOf(keys));
  }
}
