package dev.hoist.remotes.docker.config.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.remotes.docker.HostCapability;
import dev.hoist.remotes.docker.config.ClientCertificate;
import dev.hoist.remotes.docker.config.TlsOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parses a {@code hosts.toml} file (containerd's {@code parseHostsFile}, schema in {@code
 * docs/hosts.md}) into the ordered endpoint list: every {@code [host."<url>"]} in the order the
 * file first mentions it, then the {@code server} entry last. Unlike containerd, a malformed file
 * is an error, not a logged fallback to defaults, and a host listed twice appears once.
 */
public final class HostsFileParser {

  private static final Logger log = LoggerFactory.getLogger(HostsFileParser.class);
  private static final TomlMapper TOML = new TomlMapper();

  /** Files are re-read on every lookup: warn about each unknown key once, not per request. */
  private static final Set<String> WARNED = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private static final Set<String> HOST_KEYS =
      Set.of(
          "capabilities", "ca", "client", "skip_verify", "header", "override_path", "dial_timeout");

  private HostsFileParser() {}

  /**
   * Parses {@code text}, the content of {@code file}; relative paths are resolved against the
   * file's directory.
   *
   * @throws InvalidArgumentException naming the file and the line or key at fault
   */
  public static List<HostConfig> parse(Path file, String text) {
    JsonNode root;
    try {
      root = TOML.readTree(text);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null || at.getLineNr() < 1 ? "" : " line " + at.getLineNr() + ":";
      throw new InvalidArgumentException(
          "hosts file " + file + ":" + where + " malformed TOML: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject()) {
      return List.of(HostConfig.unset(TlsOptions.NONE, Map.of()));
    }
    return new FileContext(file).parse((ObjectNode) root);
  }

  /** Parsing state for one file: its path (for messages and relative paths). */
  private static final class FileContext {
    private final Path file;
    private final Path dir;

    FileContext(Path file) {
      this.file = file;
      Path parent = file.toAbsolutePath().getParent();
      this.dir = parent == null ? file.toAbsolutePath() : parent;
    }

    List<HostConfig> parse(ObjectNode root) {
      Map<String, HostConfig> byEndpoint = new LinkedHashMap<>();
      JsonNode hostTable = root.get("host");
      if (hostTable != null) {
        if (!hostTable.isObject()) {
          throw error("host", "must be a table of [host.\"<url>\"] entries");
        }
        Iterator<Map.Entry<String, JsonNode>> it = hostTable.fields();
        while (it.hasNext()) {
          Map.Entry<String, JsonNode> e = it.next();
          String key = "host.\"" + e.getKey() + "\"";
          if (!e.getValue().isObject()) {
            throw error(key, "must be a table");
          }
          HostConfig parsed = parseHost(key, key, e.getKey(), (ObjectNode) e.getValue());
          addOnce(byEndpoint, parsed, key);
        }
      }
      for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (!name.equals("server") && !name.equals("host") && !HOST_KEYS.contains(name)) {
          warnUnknown(name);
        }
      }
      JsonNode server = root.get("server");
      HostConfig last;
      if (server == null || (server.isTextual() && server.asText().isBlank())) {
        // Server derived from the registry name later; root TLS and headers still apply.
        HostConfig rootSettings = parseSettings("", root, "", "", "/v2");
        last =
            HostConfig.unset(rootSettings.tls(), rootSettings.headers())
                .withDialTimeout(rootSettings.dialTimeout());
      } else {
        if (!server.isTextual()) {
          throw error("server", "must be a string");
        }
        last = parseHost("", "server", server.asText(), root);
      }
      if (last.isUnset()) {
        List<HostConfig> hosts = new ArrayList<>(byEndpoint.values());
        hosts.add(last);
        return List.copyOf(hosts);
      }
      addOnce(byEndpoint, last, "server");
      return List.copyOf(byEndpoint.values());
    }

    private void addOnce(Map<String, HostConfig> hosts, HostConfig h, String key) {
      HostConfig before = hosts.putIfAbsent(h.endpoint(), h);
      if (before != null) {
        log.debug(
            "hosts file {}: {} repeats endpoint {}; keeping the first", file, key, h.endpoint());
      }
    }

    private HostConfig parseHost(String key, String urlKey, String url, ObjectNode table) {
      boolean overridePath = bool(key, table, "override_path").orElse(false);
      HostUrls.Endpoint ep;
      try {
        ep = HostUrls.parse(url, overridePath);
      } catch (IllegalArgumentException e) {
        throw error(urlKey, e.getMessage());
      }
      if (!key.isEmpty()) {
        for (Iterator<String> names = table.fieldNames(); names.hasNext(); ) {
          String name = names.next();
          if (!HOST_KEYS.contains(name)) {
            warnUnknown(join(key, name));
          }
        }
      }
      return parseSettings(key, table, ep.scheme(), ep.host(), ep.path());
    }

    private HostConfig parseSettings(
        String key, ObjectNode table, String scheme, String host, String path) {
      Set<HostCapability> caps = capabilities(key, table.get("capabilities"));
      TlsOptions.Builder tls = TlsOptions.builder();
      for (Path ca : paths(join(key, "ca"), table.get("ca"))) {
        tls.caCertificate(ca);
      }
      for (ClientCertificate c : clients(join(key, "client"), table.get("client"))) {
        tls.clientCertificate(c);
      }
      bool(key, table, "skip_verify").ifPresent(tls::skipVerify);
      Map<String, List<String>> headers = headers(join(key, "header"), table.get("header"));
      Optional<Duration> dial = dialTimeout(join(key, "dial_timeout"), table.get("dial_timeout"));
      return new HostConfig(scheme, host, path, caps, tls.build(), headers, dial);
    }

    private Set<HostCapability> capabilities(String key, JsonNode node) {
      if (node == null) {
        return HostConfig.ALL;
      }
      if (!node.isArray()) {
        throw error(join(key, "capabilities"), "must be a list such as [\"pull\", \"resolve\"]");
      }
      if (node.isEmpty()) {
        return HostConfig.ALL; // containerd: an empty list means the default
      }
      Set<HostCapability> caps = EnumSet.noneOf(HostCapability.class);
      for (JsonNode c : node) {
        if (!c.isTextual()) {
          throw error(join(key, "capabilities"), "entries must be strings");
        }
        try {
          caps.add(HostCapability.parse(c.asText()));
        } catch (InvalidArgumentException e) {
          throw error(join(key, "capabilities"), e.getMessage());
        }
      }
      return caps;
    }

    private List<Path> paths(String key, JsonNode node) {
      List<Path> out = new ArrayList<>();
      if (node == null) {
        return out;
      }
      if (node.isTextual()) {
        out.add(resolve(key, node.asText()));
      } else if (node.isArray()) {
        for (JsonNode p : node) {
          if (!p.isTextual()) {
            throw error(key, "entries must be file paths (strings)");
          }
          out.add(resolve(key, p.asText()));
        }
      } else {
        throw error(key, "must be a file path or a list of file paths");
      }
      return out;
    }

    private List<ClientCertificate> clients(String key, JsonNode node) {
      List<ClientCertificate> out = new ArrayList<>();
      if (node == null) {
        return out;
      }
      if (node.isTextual()) {
        out.add(ClientCertificate.combined(resolve(key, node.asText())));
        return out;
      }
      if (!node.isArray()) {
        throw error(key, "must be a path, a list of paths or a list of [cert, key] pairs");
      }
      for (JsonNode entry : node) {
        if (entry.isTextual()) {
          out.add(ClientCertificate.combined(resolve(key, entry.asText())));
        } else if (entry.isArray()
            && entry.size() == 2
            && entry.get(0).isTextual()
            && entry.get(1).isTextual()) {
          Path cert = resolve(key, entry.get(0).asText());
          String keyFile = entry.get(1).asText();
          out.add(
              keyFile.isEmpty()
                  ? ClientCertificate.combined(cert)
                  : ClientCertificate.of(cert, resolve(key, keyFile)));
        } else {
          throw error(key, "invalid entry " + entry + " (expected a path or a [cert, key] pair)");
        }
      }
      return out;
    }

    private Map<String, List<String>> headers(String key, JsonNode node) {
      Map<String, List<String>> out = new LinkedHashMap<>();
      if (node == null) {
        return out;
      }
      if (!node.isObject()) {
        throw error(key, "must be a table of header names to strings or lists of strings");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode v = e.getValue();
        List<String> values = new ArrayList<>();
        if (v.isTextual()) {
          values.add(v.asText());
        } else if (v.isArray()) {
          for (JsonNode s : v) {
            if (!s.isTextual()) {
              throw error(key + "." + e.getKey(), "list entries must be strings");
            }
            values.add(s.asText());
          }
        } else {
          throw error(key + "." + e.getKey(), "must be a string or a list of strings");
        }
        out.put(e.getKey(), List.copyOf(values));
      }
      return out;
    }

    private Optional<Duration> dialTimeout(String key, JsonNode node) {
      if (node == null || (node.isTextual() && node.asText().isEmpty())) {
        return Optional.empty();
      }
      if (!node.isTextual()) {
        throw error(key, "must be a duration string such as \"1s\"");
      }
      Duration d;
      try {
        d = GoDurations.parse(node.asText());
      } catch (IllegalArgumentException e) {
        throw error(key, e.getMessage());
      }
      if (d.isNegative() || d.isZero()) {
        throw error(key, "must be positive, got \"" + node.asText() + "\"");
      }
      return Optional.of(d);
    }

    private Optional<Boolean> bool(String key, ObjectNode table, String name) {
      JsonNode node = table == null ? null : table.get(name);
      if (node == null) {
        return Optional.empty();
      }
      if (!node.isBoolean()) {
        throw error(join(key, name), "must be true or false");
      }
      return Optional.of(node.booleanValue());
    }

    private Path resolve(String key, String p) {
      if (p.isBlank()) {
        throw error(key, "empty file path");
      }
      try {
        return dir.resolve(p).normalize();
      } catch (java.nio.file.InvalidPathException e) {
        throw error(key, "invalid file path \"" + p + "\"");
      }
    }

    private static String join(String prefix, String name) {
      return prefix.isEmpty() ? name : prefix + "." + name;
    }

    private void warnUnknown(String key) {
      if (WARNED.add(file + "\u0000" + key)) {
        log.warn("hosts file {}: ignoring unknown key {}", file, key);
      }
    }

    private InvalidArgumentException error(String key, String problem) {
      return new InvalidArgumentException("hosts file " + file + ": " + key + ": " + problem);
    }
  }
}
