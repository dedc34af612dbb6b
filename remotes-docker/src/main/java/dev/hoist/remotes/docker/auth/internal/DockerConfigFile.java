package dev.hoist.remotes.docker.auth.internal;

import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.remotes.docker.auth.Credentials;
import dev.hoist.spec.internal.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The parts of Docker's {@code config.json} that hold credentials: {@code auths}, {@code
 * credHelpers} and {@code credsStore}. Messages name the file and the entry, never its content.
 *
 * @param file the file read
 * @param auths entry key → decoded credentials (entries without any are left out)
 * @param credHelpers registry key → helper name
 * @param credsStore the default helper name, or null
 */
public record DockerConfigFile(
    Path file, Map<String, Credentials> auths, Map<String, String> credHelpers, String credsStore) {

  private static final int MAX_SIZE = 16 * 1024 * 1024;

  /**
   * Reads {@code file}; a missing file gives an empty configuration.
   *
   * @throws InvalidArgumentException naming the file when it is malformed
   */
  public static DockerConfigFile read(Path file) throws IOException {
    byte[] data;
    try (InputStream in = Files.newInputStream(file)) {
      data = in.readNBytes(MAX_SIZE + 1);
    } catch (NoSuchFileException e) {
      return new DockerConfigFile(file, Map.of(), Map.of(), null);
    }
    if (data.length > MAX_SIZE) {
      throw new InvalidArgumentException(
          "docker config " + file + " is larger than " + MAX_SIZE + " bytes");
    }
    Object root;
    try {
      // Go's reader, which wrote the file, keeps the last of duplicate keys: so does this one.
      root = Json.parseLenient(data);
    } catch (IOException e) {
      // No cause: Jackson's message quotes the input, which may contain a secret.
      throw new InvalidArgumentException(
          "docker config " + file + " is not valid JSON" + location(e));
    }
    if (root == null) {
      return new DockerConfigFile(file, Map.of(), Map.of(), null);
    }
    if (!(root instanceof Map)) {
      throw new InvalidArgumentException("docker config " + file + " is not a JSON object");
    }
    Map<?, ?> rootMap = (Map<?, ?>) root;
    Map<String, Credentials> auths = new LinkedHashMap<>();
    Object authsNode = rootMap.get("auths");
    if (authsNode != null) {
      if (!(authsNode instanceof Map)) {
        throw new InvalidArgumentException(
            "docker config " + file + ": \"auths\" is not a JSON object");
      }
      for (Map.Entry<?, ?> e : ((Map<?, ?>) authsNode).entrySet()) {
        String key = (String) e.getKey();
        decode(file, key, e.getValue()).ifPresent(c -> auths.put(key, c));
      }
    }
    Map<String, String> helpers = new LinkedHashMap<>();
    Object helpersNode = rootMap.get("credHelpers");
    if (helpersNode != null) {
      if (!(helpersNode instanceof Map)) {
        throw new InvalidArgumentException(
            "docker config " + file + ": \"credHelpers\" is not a JSON object");
      }
      for (Map.Entry<?, ?> e : ((Map<?, ?>) helpersNode).entrySet()) {
        if (!(e.getValue() instanceof String)) {
          throw new InvalidArgumentException(
              "docker config "
                  + file
                  + ": credHelpers entry \""
                  + e.getKey()
                  + "\" is not a string");
        }
        helpers.put((String) e.getKey(), (String) e.getValue());
      }
    }
    Object store = rootMap.get("credsStore");
    String credsStore = null;
    if (store != null) {
      if (!(store instanceof String)) {
        throw new InvalidArgumentException(
            "docker config " + file + ": \"credsStore\" is not a string");
      }
      credsStore = ((String) store).isEmpty() ? null : (String) store;
    }
    return new DockerConfigFile(file, Map.copyOf(auths), Map.copyOf(helpers), credsStore);
  }

  private static Optional<Credentials> decode(Path file, String key, Object value) {
    String where = "docker config " + file + ": auths entry \"" + key + "\"";
    if (!(value instanceof Map)) {
      throw new InvalidArgumentException(where + " is not a JSON object");
    }
    Map<?, ?> entry = (Map<?, ?>) value;
    String identityToken = text(entry, "identitytoken", where);
    if (!identityToken.isEmpty()) {
      return Optional.of(Credentials.identityToken(identityToken));
    }
    String auth = text(entry, "auth", where);
    if (!auth.isEmpty()) {
      String decoded;
      try {
        decoded = new String(Base64.getDecoder().decode(auth.strip()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new InvalidArgumentException(where + ": \"auth\" is not valid base64");
      }
      int colon = decoded.indexOf(':');
      if (colon < 0) {
        throw new InvalidArgumentException(where + ": \"auth\" does not decode to user:password");
      }
      String secret = decoded.substring(colon + 1);
      if (secret.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(new Credentials(decoded.substring(0, colon), secret));
    }
    String user = text(entry, "username", where);
    String password = text(entry, "password", where);
    if (password.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Credentials(user, password));
  }

  private static String text(Map<?, ?> entry, String field, String where) {
    Object n = entry.get(field);
    if (n == null) {
      return "";
    }
    if (!(n instanceof String)) {
      throw new InvalidArgumentException(where + ": \"" + field + "\" is not a string");
    }
    return (String) n;
  }

  private static String location(IOException e) {
    if (e instanceof com.fasterxml.jackson.core.JsonProcessingException j
        && j.getLocation() != null) {
      return " (line "
          + j.getLocation().getLineNr()
          + ", column "
          + j.getLocation().getColumnNr()
          + ")";
    }
    return "";
  }

  /** The {@code auths} entry whose key normalises to {@code canonicalHost}. Exact keys win. */
  public Optional<Credentials> authFor(String canonicalHost) {
    Credentials exact = auths.get(canonicalHost);
    if (exact != null) {
      return Optional.of(exact);
    }
    if (canonicalHost.equals("docker.io") && auths.containsKey(HostNames.DOCKER_HUB_KEY)) {
      return Optional.of(auths.get(HostNames.DOCKER_HUB_KEY));
    }
    return auths.entrySet().stream()
        .filter(e -> HostNames.canonical(e.getKey()).equals(canonicalHost))
        .map(Map.Entry::getValue)
        .findFirst();
  }

  /** The {@code credHelpers} entry whose key normalises to {@code canonicalHost}. */
  public Optional<String> helperFor(String canonicalHost) {
    String exact = credHelpers.get(canonicalHost);
    if (exact != null) {
      return Optional.of(exact);
    }
    return credHelpers.entrySet().stream()
        .filter(e -> HostNames.canonical(e.getKey()).equals(canonicalHost))
        .map(Map.Entry::getValue)
        .findFirst();
  }

  @Override
  public String toString() {
    return "DockerConfigFile["
        + file
        + ", auths="
        + auths.keySet()
        + ", credHelpers="
        + credHelpers
        + ", credsStore="
        + credsStore
        + "]";
  }
}
