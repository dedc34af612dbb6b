package dev.hoist.remotes.docker.config.internal;

import static dev.hoist.remotes.docker.config.TestPki.pem;
import static dev.hoist.remotes.docker.config.TestPki.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.remotes.docker.config.ClientCertificate;
import dev.hoist.remotes.docker.config.TestPki;
import dev.hoist.remotes.docker.config.TlsOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PEM reading (every key shape users have) and SSLContext building and caching. */
class SslContextsTest {

  static TestPki pki;
  static TestPki.Issued rsaClient;
  static TestPki.Issued ecClient;

  @TempDir Path dir;

  @BeforeAll
  static void makePki() {
    pki = TestPki.newCa("hoist test CA");
    rsaClient = pki.clientRsa("rsa-client");
    ecClient = pki.clientEc("ec-client");
  }

  @Test
  void readsCaCertificates() {
    Path ca = write(dir.resolve("ca.crt"), pem(pki.ca().certificate()));

    assertThat(PemFiles.certificates(ca, "CA certificate")).containsExactly(pki.ca().certificate());
  }

  @Test
  void readsPkcs1RsaPkcs8AndEcKeys() {
    Path pkcs1 = write(dir.resolve("rsa1.key"), pem(rsaClient.keys()));
    Path pkcs8 = write(dir.resolve("rsa8.key"), TestPki.pkcs8(rsaClient.keys().getPrivate()));
    Path ec = write(dir.resolve("ec.key"), TestPki.sec1(ecClient.keys()));

    assertThat(Files.exists(pkcs1)).isTrue();
    assertThat(readString(pkcs1)).contains("BEGIN RSA PRIVATE KEY");
    assertThat(readString(pkcs8)).contains("BEGIN PRIVATE KEY");
    assertThat(readString(ec)).contains("BEGIN EC PRIVATE KEY");
    assertThat(PemFiles.read(pkcs1, "client key").keys())
        .singleElement()
        .satisfies(
            k -> assertThat(k.getEncoded()).isEqualTo(rsaClient.keys().getPrivate().getEncoded()));
    assertThat(PemFiles.read(pkcs8, "client key").keys())
        .singleElement()
        .satisfies(
            k -> assertThat(k.getEncoded()).isEqualTo(rsaClient.keys().getPrivate().getEncoded()));
    assertThat(PemFiles.read(ec, "client key").keys())
        .singleElement()
        .satisfies(k -> assertThat(k.getAlgorithm()).isEqualTo("EC"));
  }

  @Test
  void buildsContextWithSeparateAndCombinedClientPairs() {
    Path cert = write(dir.resolve("client.cert"), pem(rsaClient.certificate()));
    Path key = write(dir.resolve("client.key"), TestPki.pkcs8(rsaClient.keys().getPrivate()));
    Path combined =
        write(dir.resolve("ec.pem"), pem(ecClient.certificate()) + TestPki.sec1(ecClient.keys()));
    TlsOptions tls =
        TlsOptions.builder()
            .clientCertificate(ClientCertificate.of(cert, key))
            .clientCertificate(ClientCertificate.combined(combined))
            .build();

    SSLContext ctx = SslContexts.build(tls);

    assertThat(ctx.getProtocol()).isEqualTo("TLS");
  }

  @Test
  void cachesOneContextPerDistinctConfiguration() {
    Path ca = write(dir.resolve("ca.crt"), pem(pki.ca().certificate()));
    SslContexts contexts = new SslContexts();
    TlsOptions a = TlsOptions.builder().caCertificate(ca).build();
    TlsOptions sameAsA = TlsOptions.builder().caCertificate(ca).build();
    TlsOptions b = TlsOptions.builder().caCertificate(ca).skipVerify(true).build();

    assertThat(contexts.get(a)).isSameAs(contexts.get(sameAsA));
    assertThat(contexts.get(a)).isNotSameAs(contexts.get(b));
  }

  @Test
  void rejectsEncryptedKeyNamingTheFile() {
    Path cert = write(dir.resolve("client.cert"), pem(rsaClient.certificate()));
    Path key =
        write(dir.resolve("client.key"), TestPki.encryptedPkcs8(rsaClient.keys().getPrivate()));
    TlsOptions tls =
        TlsOptions.builder().clientCertificate(ClientCertificate.of(cert, key)).build();

    assertThatThrownBy(() -> SslContexts.build(tls))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining(key.toString())
        .hasMessageContaining("encrypted");
  }

  @Test
  void rejectsGarbagePemNamingTheFile() {
    Path ca =
        write(
            dir.resolve("bad.crt"),
            "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n");

    assertThatThrownBy(() -> SslContexts.build(TlsOptions.builder().caCertificate(ca).build()))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("CA certificate " + ca);
  }

  @Test
  void rejectsCaFileWithoutCertificates() {
    Path ca = write(dir.resolve("empty.crt"), "just some text\n");

    assertThatThrownBy(() -> SslContexts.build(TlsOptions.builder().caCertificate(ca).build()))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining(ca.toString())
        .hasMessageContaining("no PEM certificate found");
  }

  @Test
  void rejectsBinaryFile() throws Exception {
    Path ca = Files.write(dir.resolve("der.crt"), pki.ca().certificate().getEncoded());

    assertThatThrownBy(() -> SslContexts.build(TlsOptions.builder().caCertificate(ca).build()))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining(ca.toString());
  }

  @Test
  void rejectsMissingCaFileEvenUnderSkipVerify() {
    Path ca = dir.resolve("missing.crt");

    assertThatThrownBy(
            () ->
                SslContexts.build(TlsOptions.builder().caCertificate(ca).skipVerify(true).build()))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining(ca.toString())
        .hasMessageContaining("no such file");
  }

  @Test
  void rejectsCertificateWithoutKey() {
    Path cert = write(dir.resolve("client.cert"), pem(rsaClient.certificate()));

    assertThatThrownBy(
            () ->
                SslContexts.build(
                    TlsOptions.builder()
                        .clientCertificate(ClientCertificate.combined(cert))
                        .build()))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining(cert.toString())
        .hasMessageContaining("no PEM private key");
  }

  @Test
  void rejectsKeyOfAnotherCertificate() {
    Path cert = write(dir.resolve("client.cert"), pem(rsaClient.certificate()));
    Path key = write(dir.resolve("other.key"), pem(TestPki.newCa("x").ca().keys()));

    assertThatThrownBy(
            () ->
                SslContexts.build(
                    TlsOptions.builder()
                        .clientCertificate(ClientCertificate.of(cert, key))
                        .build()))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining(key.toString())
        .hasMessageContaining("does not match");
  }

  @Test
  void layersHostSettingsOverDefaults() {
    TlsOptions base =
        TlsOptions.builder().caCertificate(Path.of("/a.pem")).skipVerify(true).build();
    TlsOptions host =
        TlsOptions.builder().caCertificate(Path.of("/b.pem")).skipVerify(false).build();

    TlsOptions merged = host.over(base);

    assertThat(merged.caCertificates()).containsExactly(Path.of("/a.pem"), Path.of("/b.pem"));
    assertThat(merged.insecureSkipVerify()).isFalse();
    assertThat(TlsOptions.NONE.over(base)).isEqualTo(base);
    assertThat(host.over(TlsOptions.NONE)).isEqualTo(host);
    assertThat(List.of(TlsOptions.NONE.isConfigured(), base.isConfigured()))
        .containsExactly(false, true);
  }

  private static String readString(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
