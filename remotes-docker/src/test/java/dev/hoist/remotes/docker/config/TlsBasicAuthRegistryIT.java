package dev.hoist.remotes.docker.config;

import static dev.hoist.remotes.docker.config.TestPki.pem;
import static dev.hoist.remotes.docker.config.TestPki.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.errors.UnauthorizedException;
import dev.hoist.remotes.docker.RegistryHosts;
import dev.hoist.remotes.docker.auth.CredentialsProvider;
import dev.hoist.remotes.docker.config.internal.SslContexts;
import dev.hoist.remotes.docker.testing.DistributionRegistry;
import dev.hoist.remotes.docker.testing.RegistryPusher;
import dev.hoist.testing.TestImages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Credentials through {@link HostOptions#credentials}: a registry serving TLS (CA from {@code
 * hosts.toml}) with {@code htpasswd} Basic auth.
 */
@Timeout(120)
class TlsBasicAuthRegistryIT {

  static final String USER = "alice";
  static final String PASSWORD = "tls-Basic-Secret-7";
  static final Path DIR;
  static final TestPki PKI = TestPki.newCa("hoist basic-auth CA");
  static final TestImages IMAGE = TestImages.builder().platforms("linux/amd64").build();

  static {
    try {
      DIR = Files.createTempDirectory("hoist-tls-basic");
      TestPki.Issued server = PKI.server();
      write(DIR.resolve("server.crt"), pem(server.certificate()));
      write(DIR.resolve("server.key"), TestPki.pkcs8(server.keys().getPrivate()));
      write(DIR.resolve("ca.crt"), pem(PKI.ca().certificate()));
      byte[] salt = new byte[16];
      new SecureRandom().nextBytes(salt);
      Files.writeString(
          DIR.resolve("htpasswd"),
          USER + ":" + OpenBSDBCrypt.generate(PASSWORD.toCharArray(), salt, 10) + "\n",
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @RegisterExtension
  static final DistributionRegistry registry =
      DistributionRegistry.builder()
          .tls(DIR.resolve("server.crt"), DIR.resolve("server.key"), null)
          .htpasswd(DIR.resolve("htpasswd"))
          .build();

  @TempDir Path root;

  @BeforeAll
  static void push() {
    HttpClient client =
        HttpClient.newBuilder()
            .sslContext(
                new SslContexts()
                    .get(TlsOptions.builder().caCertificate(DIR.resolve("ca.crt")).build()))
            .build();
    String basic =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    RegistryPusher.to(registry)
        .withClient(client)
        .withAuthorization(() -> basic)
        .push("private/app", "v1", IMAGE);
  }

  private HostOptions.Builder options() {
    write(
        root.resolve("_default/hosts.toml"),
        "server = \"https://"
            + registry.hostPort()
            + "\"\nca = \""
            + DIR.resolve("ca.crt")
            + "\"\n");
    return HostOptions.builder().hostsDir(root);
  }

  private static String ref() {
    return registry.hostPort() + "/private/app:v1";
  }

  @Test
  void configuredCredentialsAreSentOverTheConfiguredTls() throws IOException {
    RegistryHosts hosts =
        ConfigureHosts.from(
            options()
                .credentials(CredentialsProvider.of(registry.hostPort(), USER, PASSWORD))
                .build());

    assertThat(RegistryFetch.fetchAll(hosts, ref(), IMAGE)).isGreaterThan(2);
  }

  @Test
  void withoutCredentialsTheFetchIsUnauthorized() {
    RegistryHosts hosts = ConfigureHosts.from(options().build());

    assertThatThrownBy(() -> RegistryFetch.fetchAll(hosts, ref(), IMAGE))
        .isInstanceOf(UnauthorizedException.class)
        .hasMessageNotContaining(PASSWORD);
  }
}
