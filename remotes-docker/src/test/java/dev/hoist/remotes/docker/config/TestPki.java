package dev.hoist.remotes.docker.config;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Test certificates made with BouncyCastle at test time: a CA, server certificates for {@code
 * localhost}/{@code 127.0.0.1}, client certificates, and their keys in the PEM shapes users have
 * (PKCS#1, PKCS#8, SEC1 EC, encrypted).
 */
public final class TestPki {

  /** A certificate and its key. */
  public record Issued(X509Certificate certificate, KeyPair keys) {}

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Issued ca;

  private TestPki(Issued ca) {
    this.ca = ca;
  }

  /** A fresh CA named {@code cn}. */
  public static TestPki newCa(String cn) {
    try {
      KeyPair keys = rsa();
      X500Name name = new X500Name("CN=" + cn);
      X509v3CertificateBuilder b = builder(name, name, keys);
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      b.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      return new TestPki(new Issued(sign(b, keys.getPrivate()), keys));
    } catch (GeneralSecurityException
        | IOException
        | org.bouncycastle.operator.OperatorCreationException e) {
      throw new IllegalStateException(e);
    }
  }

  public Issued ca() {
    return ca;
  }

  /** A server certificate for localhost, 127.0.0.1 and ::1, RSA key. */
  public Issued server() {
    return issue("localhost", rsa(), true);
  }

  /** A client certificate with an RSA key. */
  public Issued clientRsa(String cn) {
    return issue(cn, rsa(), false);
  }

  /** A client certificate with an EC P-256 key. */
  public Issued clientEc(String cn) {
    return issue(cn, ec(), false);
  }

  private Issued issue(String cn, KeyPair keys, boolean server) {
    try {
      X509v3CertificateBuilder b =
          builder(
              new X500Name(ca.certificate().getSubjectX500Principal().getName()),
              new X500Name("CN=" + cn),
              keys);
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      if (server) {
        b.addExtension(
            Extension.subjectAlternativeName,
            false,
            new GeneralNames(
                new GeneralName[] {
                  new GeneralName(GeneralName.dNSName, "localhost"),
                  new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                  new GeneralName(GeneralName.iPAddress, "::1")
                }));
        b.addExtension(
            Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
      } else {
        b.addExtension(
            Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
      }
      return new Issued(sign(b, ca.keys().getPrivate()), keys);
    } catch (IOException
        | GeneralSecurityException
        | org.bouncycastle.operator.OperatorCreationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(
        issuer,
        new BigInteger(64, RANDOM).abs().add(BigInteger.ONE),
        Date.from(now.minus(1, ChronoUnit.HOURS)),
        Date.from(now.plus(1, ChronoUnit.DAYS)),
        subject,
        keys.getPublic());
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey signer)
      throws GeneralSecurityException, org.bouncycastle.operator.OperatorCreationException {
    String alg = signer.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
    return new JcaX509CertificateConverter()
        .getCertificate(b.build(new JcaContentSignerBuilder(alg).build(signer)));
  }

  static KeyPair rsa() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048, RANDOM);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static KeyPair ec() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** PEM of objects BouncyCastle knows (certificates; KeyPair = PKCS#1 RSA or SEC1 EC). */
  public static String pem(Object... objects) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      for (Object o : objects) {
        w.writeObject(o);
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toString();
  }

  /**
   * The EC key in OpenSSL's SEC1 form ({@code BEGIN EC PRIVATE KEY}) with the curve named inside,
   * as {@code openssl ecparam -genkey} writes it (BouncyCastle's writer leaves the curve out for
   * JDK keys).
   */
  public static String sec1(KeyPair ec) {
    try {
      org.bouncycastle.asn1.pkcs.PrivateKeyInfo info =
          org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(ec.getPrivate().getEncoded());
      org.bouncycastle.asn1.sec.ECPrivateKey inner =
          org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(info.parsePrivateKey());
      org.bouncycastle.asn1.x509.SubjectPublicKeyInfo pub =
          org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(ec.getPublic().getEncoded());
      org.bouncycastle.asn1.sec.ECPrivateKey full =
          new org.bouncycastle.asn1.sec.ECPrivateKey(
              256,
              inner.getKey(),
              pub.getPublicKeyData(),
              info.getPrivateKeyAlgorithm().getParameters());
      return pem(new org.bouncycastle.util.io.pem.PemObject("EC PRIVATE KEY", full.getEncoded()));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The key as unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY}). */
  public static String pkcs8(PrivateKey key) {
    try {
      return pem(new JcaPKCS8Generator(key, null).generate());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The key as encrypted PKCS#8 ({@code BEGIN ENCRYPTED PRIVATE KEY}). */
  public static String encryptedPkcs8(PrivateKey key) {
    try {
      OutputEncryptor enc =
          new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.PBE_SHA1_3DES)
              .setPassword("secret".toCharArray())
              .setRandom(RANDOM)
              .build();
      return pem(new JcaPKCS8Generator(key, enc).generate());
    } catch (IOException | org.bouncycastle.operator.OperatorCreationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes {@code text} to {@code file} and returns the file. */
  public static Path write(Path file, String text) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      return Files.writeString(file, text, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A PKCS12 key store with {@code issued} (password {@code password}), for WireMock. */
  public static Path pkcs12(Path file, Issued issued, String password) {
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry(
          "server",
          issued.keys().getPrivate(),
          password.toCharArray(),
          new X509Certificate[] {issued.certificate()});
      try (OutputStream out = Files.newOutputStream(file)) {
        ks.store(out, password.toCharArray());
      }
      return file;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A PKCS12 trust store holding {@code certificate}. */
  public static Path truststore(Path file, X509Certificate certificate, String password) {
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setCertificateEntry("ca", certificate);
      try (OutputStream out = Files.newOutputStream(file)) {
        ks.store(out, password.toCharArray());
      }
      return file;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
