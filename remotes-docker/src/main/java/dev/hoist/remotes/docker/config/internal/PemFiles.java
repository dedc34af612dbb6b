package dev.hoist.remotes.docker.config.internal;

import dev.hoist.errors.InvalidArgumentException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Reads certificates and private keys from PEM files with the JDK alone: certificates, PKCS#8
 * ({@code PRIVATE KEY}), PKCS#1 RSA ({@code RSA PRIVATE KEY}) and SEC1 EC ({@code EC PRIVATE KEY})
 * keys, the last two re-wrapped as PKCS#8 by {@link Pkcs8}. Other blocks (parameters, public keys,
 * CSRs) are skipped. Every failure names the file.
 */
public final class PemFiles {

  private static final String BEGIN = "-----BEGIN ";
  private static final String END = "-----END ";

  private PemFiles() {}

  /**
   * The contents of one PEM file.
   *
   * @param certificates the certificates, in file order
   * @param keys the private keys, in file order
   */
  public record Contents(List<X509Certificate> certificates, List<PrivateKey> keys) {}

  /**
   * Reads the certificates of a CA file.
   *
   * @param file the PEM file
   * @param role what the file is for, for messages ("CA certificate")
   * @return the certificates, at least one
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
   * @param file the PEM file
   * @param role what the file is for, for messages ("client key")
   * @return what the file holds
   * @throws InvalidArgumentException when the file is unreadable or malformed, or holds an
   *     encrypted key
   */
  public static Contents read(Path file, String role) {
    String where = role + " " + file;
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      throw new InvalidArgumentException(where + ": no such file", e);
    } catch (MalformedInputException e) {
      throw new InvalidArgumentException(where + ": not a PEM file", e);
    } catch (IOException e) {
      throw new InvalidArgumentException(where + ": cannot read: " + e.getMessage(), e);
    }
    List<X509Certificate> certs = new ArrayList<>();
    List<PrivateKey> keys = new ArrayList<>();
    for (Block b : blocks(lines, where)) {
      switch (b.type()) {
        case "CERTIFICATE" -> certs.add(certificate(b, where));
        case "PRIVATE KEY" -> keys.add(Pkcs8.privateKey(b.der(), where));
        case "RSA PRIVATE KEY" -> keys.add(Pkcs8.privateKey(Pkcs8.fromPkcs1(b.der()), where));
        case "EC PRIVATE KEY" -> keys.add(Pkcs8.privateKey(Pkcs8.fromSec1(b.der(), where), where));
        case "ENCRYPTED PRIVATE KEY" -> throw encrypted(where);
        default -> {
          // Parameters, public keys, CSRs: not needed.
        }
      }
    }
    return new Contents(List.copyOf(certs), List.copyOf(keys));
  }

  private record Block(String type, byte[] der) {}

  private static List<Block> blocks(List<String> lines, String where) {
    List<Block> blocks = new ArrayList<>();
    String type = null;
    StringBuilder body = new StringBuilder();
    for (String raw : lines) {
      String line = raw.strip();
      if (type == null) {
        if (line.startsWith(BEGIN) && line.endsWith("-----")) {
          type = line.substring(BEGIN.length(), line.length() - 5);
          body.setLength(0);
        }
      } else if (line.startsWith(END)) {
        if (!line.equals(END + type + "-----")) {
          throw new InvalidArgumentException(where + ": PEM block " + type + " ends as " + line);
        }
        blocks.add(new Block(type, decode(body, type, where)));
        type = null;
      } else if (line.contains(":")) {
        // RFC 1421 headers: only legacy encrypted keys carry them (Proc-Type: 4,ENCRYPTED).
        if (line.startsWith("Proc-Type:") && line.contains("ENCRYPTED")) {
          throw encrypted(where);
        }
      } else {
        body.append(line);
      }
    }
    if (type != null) {
      throw new InvalidArgumentException(where + ": PEM block " + type + " has no END line");
    }
    return blocks;
  }

  private static byte[] decode(CharSequence base64, String type, String where) {
    try {
      return Base64.getMimeDecoder().decode(base64.toString());
    } catch (IllegalArgumentException e) {
      throw new InvalidArgumentException(where + ": PEM block " + type + " is not base64", e);
    }
  }

  private static X509Certificate certificate(Block b, String where) {
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(b.der()));
    } catch (GeneralSecurityException e) {
      throw new InvalidArgumentException(where + ": malformed certificate: " + e.getMessage(), e);
    }
  }

  private static InvalidArgumentException encrypted(String where) {
    return new InvalidArgumentException(
        where
            + ": the private key is encrypted; Hoist reads unencrypted keys"
            + " only (decrypt it, e.g. with openssl pkey)");
  }
}
