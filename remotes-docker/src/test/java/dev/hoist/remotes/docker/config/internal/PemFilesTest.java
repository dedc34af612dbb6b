package dev.hoist.remotes.docker.config.internal;

import static dev.hoist.remotes.docker.config.TestPki.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.remotes.docker.config.TestPki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PEM shapes read with the JDK alone, and the malformed ones refused with the file's name. */
class PemFilesTest {

  @TempDir Path dir;

  @Test
  void readsTheSec1KeysOpensslWritesForEachCurve() throws Exception {
    for (String curve : new String[] {"prime256v1", "secp384r1", "secp521r1"}) {
      Path key = dir.resolve(curve + ".key");
      openssl("ecparam", "-name", curve, "-genkey", "-noout", "-out", key.toString());
      Path pkcs8 = dir.resolve(curve + ".p8");
      openssl("pkcs8", "-topk8", "-nocrypt", "-in", key.toString(), "-out", pkcs8.toString());

      ECPrivateKey fromSec1 = (ECPrivateKey) PemFiles.read(key, "client key").keys().get(0);
      ECPrivateKey fromPkcs8 = (ECPrivateKey) PemFiles.read(pkcs8, "client key").keys().get(0);

      assertThat(Files.readString(key)).contains("BEGIN EC PRIVATE KEY");
      assertThat(fromSec1.getS()).isEqualTo(fromPkcs8.getS());
      assertThat(fromSec1.getParams().getCurve()).isEqualTo(fromPkcs8.getParams().getCurve());
    }
  }

  @Test
  void readsThePkcs1RsaKeysOpensslWrites() throws Exception {
    Path key = dir.resolve("rsa.key");
    openssl("genrsa", "-traditional", "-out", key.toString(), "2048");
    Path pkcs8 = dir.resolve("rsa.p8");
    openssl("pkcs8", "-topk8", "-nocrypt", "-in", key.toString(), "-out", pkcs8.toString());

    assertThat(Files.readString(key)).contains("BEGIN RSA PRIVATE KEY");
    assertThat(PemFiles.read(key, "client key").keys().get(0).getEncoded())
        .isEqualTo(PemFiles.read(pkcs8, "client key").keys().get(0).getEncoded());
  }

  private static void openssl(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("openssl"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("%s: %s", cmd, out).isZero();
  }

  @Test
  void readsEd25519Pkcs8Keys() throws Exception {
    KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    Path key = write(dir.resolve("ed.key"), TestPki.pkcs8(pair.getPrivate()));

    assertThat(PemFiles.read(key, "client key").keys())
        .singleElement()
        .satisfies(k -> assertThat(k.getAlgorithm()).isIn("Ed25519", "EdDSA"));
  }

  @Test
  void refusesLegacyEncryptedPkcs1KeysNamingTheFile() {
    Path key =
        write(
            dir.resolve("legacy.key"),
            "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\n"
                + "AAAA\n-----END RSA PRIVATE KEY-----\n");

    assertThatThrownBy(() -> PemFiles.read(key, "client key"))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining(key.toString())
        .hasMessageContaining("encrypted");
  }

  @Test
  void refusesABlockWithoutItsEndLine() {
    Path key = write(dir.resolve("cut.key"), "-----BEGIN PRIVATE KEY-----\nAAAA\n");

    assertThatThrownBy(() -> PemFiles.read(key, "client key"))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessage("client key " + key + ": PEM block PRIVATE KEY has no END line");
  }

  @Test
  void refusesBase64ThatDoesNotDecode() {
    Path key =
        write(
            dir.resolve("bad.key"),
            "-----BEGIN PRIVATE KEY-----\n@@@@\n-----END PRIVATE KEY-----\n");

    assertThatThrownBy(() -> PemFiles.read(key, "client key"))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining(key.toString());
  }

  @Test
  void refusesTruncatedAndCurvelessEcKeys() {
    byte[] curveless = {0x30, 0x06, 0x02, 0x01, 0x01, 0x04, 0x01, 0x07};
    Path noCurve = write(dir.resolve("nocurve.key"), pem("EC PRIVATE KEY", curveless));
    Path truncated =
        write(dir.resolve("trunc.key"), pem("EC PRIVATE KEY", new byte[] {0x30, 0x7f, 0x02}));

    assertThatThrownBy(() -> PemFiles.read(noCurve, "client key"))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessage("client key " + noCurve + ": EC private key does not name its curve");
    assertThatThrownBy(() -> PemFiles.read(truncated, "client key"))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessage("client key " + truncated + ": truncated key");
  }

  @Test
  void skipsBlocksItDoesNotNeed() {
    Path params =
        write(dir.resolve("params.pem"), pem("EC PARAMETERS", new byte[] {0x06, 0x01, 0x01}));

    PemFiles.Contents c = PemFiles.read(params, "client key");

    assertThat(c.keys()).isEmpty();
    assertThat(c.certificates()).isEmpty();
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder().encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }
}
