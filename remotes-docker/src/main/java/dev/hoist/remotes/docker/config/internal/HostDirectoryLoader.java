package dev.hoist.remotes.docker.config.internal;

import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.remotes.docker.config.ClientCertificate;
import dev.hoist.remotes.docker.config.TlsOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one registry's configuration directory, as containerd's {@code loadHostDir}: its {@code
 * hosts.toml} if present and not empty, else Docker's {@code certs.d} layout ({@code
 * loadCertFiles}).
 */
public final class HostDirectoryLoader {

  private static final Logger log = LoggerFactory.getLogger(HostDirectoryLoader.class);

  /** The file name containerd reads in each host directory. */
  public static final String HOSTS_FILE = "hosts.toml";

  private HostDirectoryLoader() {}

  /**
   * Returns the endpoints configured in {@code dir}, the server entry last.
   *
   * @throws InvalidArgumentException when {@code hosts.toml} is malformed
   * @throws IOException when the directory or file cannot be read
   */
  public static List<HostConfig> load(Path dir) throws IOException {
    Path file = dir.resolve(HOSTS_FILE);
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      text = "";
    } catch (java.nio.charset.MalformedInputException e) {
      throw new InvalidArgumentException("hosts file " + file + ": not valid UTF-8", e);
    }
    if (text.isBlank()) {
      return List.of(certsDirectory(dir));
    }
    log.debug("loading hosts file {}", file);
    return HostsFileParser.parse(file, text);
  }

  /**
   * Reads Docker's layout: {@code *.crt} are CA certificates, {@code *.cert} client certificates
   * whose key is the {@code .key} of the same name if it exists, else inside the {@code .cert}.
   * Only regular files count; a lone {@code .key} is ignored.
   */
  static HostConfig certsDirectory(Path dir) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
    }
    TlsOptions.Builder tls = TlsOptions.builder();
    for (Path f : files) {
      String name = f.getFileName().toString();
      if (name.endsWith(".crt")) {
        tls.caCertificate(f);
      } else if (name.endsWith(".cert")) {
        Path key = f.resolveSibling(name.substring(0, name.length() - ".cert".length()) + ".key");
        tls.clientCertificate(
            Files.isRegularFile(key)
                ? ClientCertificate.of(f, key)
                : ClientCertificate.combined(f));
      }
    }
    return HostConfig.unset(tls.build(), Map.of());
  }
}
