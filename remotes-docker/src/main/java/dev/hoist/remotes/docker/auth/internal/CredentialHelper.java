package dev.hoist.remotes.docker.auth.internal;

import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.errors.UnauthorizedException;
import dev.hoist.errors.UnavailableException;
import dev.hoist.remotes.docker.auth.Credentials;
import dev.hoist.spec.internal.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * Runs a Docker credential helper ({@code docker-credential-<name> get}): the server URL goes to
 * its stdin, it answers {@code {"ServerURL":…,"Username":…,"Secret":…}} on stdout. Its output is
 * never logged or put into messages except for a short error line, since stdout holds the secret.
 */
public final class CredentialHelper {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");
  private static final int MAX_OUTPUT = 1024 * 1024;

  private final String name;
  private final Path executable;
  private final Duration timeout;

  private CredentialHelper(String name, Path executable, Duration timeout) {
    this.name = name;
    this.executable = executable;
    this.timeout = timeout;
  }

  /**
   * Finds {@code docker-credential-<name>} in {@code directories}.
   *
   * @param origin names where the helper was configured, for error messages
   * @return empty when no executable of that name is in {@code directories}
   * @throws InvalidArgumentException when the name is not a plain name
   */
  public static Optional<CredentialHelper> find(
      String name, List<Path> directories, Duration timeout, String origin) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new InvalidArgumentException(
          "invalid credential helper name \"" + name + "\" in " + origin);
    }
    String file = "docker-credential-" + name;
    for (Path dir : directories) {
      Path p = dir.resolve(file);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return Optional.of(new CredentialHelper(name, p, timeout));
      }
    }
    return Optional.empty();
  }

  /** The helper's executable. */
  public Path executable() {
    return executable;
  }

  /**
   * Asks the helper for {@code serverUrl}'s credentials.
   *
   * @return empty when the helper has none ("credentials not found")
   * @throws UnauthorizedException when the helper fails
   * @throws UnavailableException when it cannot be started or does not answer in time
   */
  public Optional<Credentials> get(String serverUrl) {
    String what = "credential helper docker-credential-" + name + " for " + serverUrl;
    Process process;
    try {
      process = new ProcessBuilder(executable.toString(), "get").start();
    } catch (IOException e) {
      throw new UnavailableException("cannot start " + what + ": " + e.getMessage(), e);
    }
    try {
      FutureTask<byte[]> out = drain(process.getInputStream(), "stdout");
      FutureTask<byte[]> err = drain(process.getErrorStream(), "stderr");
      try (OutputStream stdin = process.getOutputStream()) {
        stdin.write(serverUrl.getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        // The helper may exit without reading stdin; its exit status tells what happened.
      }
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new UnavailableException(what + " did not answer within " + timeout);
      }
      byte[] stdout = out.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      byte[] stderr = err.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (process.exitValue() != 0) {
        String msg = firstLine(stdout) + " " + firstLine(stderr);
        if (msg.toLowerCase(java.util.Locale.ROOT).contains("credentials not found")) {
          return Optional.empty();
        }
        throw new UnauthorizedException(
            what + " failed with exit status " + process.exitValue() + ": " + msg.trim());
      }
      return parse(stdout, what);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnavailableException("interrupted while running " + what, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new UnavailableException("cannot read the answer of " + what, e);
    } finally {
      process.destroyForcibly();
    }
  }

  private static Optional<Credentials> parse(byte[] stdout, String what) {
    Object node;
    try {
      node = Json.parseLenient(stdout);
    } catch (IOException e) {
      // Deliberately no cause and no content: the output may hold the secret.
      throw new InvalidArgumentException(what + " answered with malformed JSON");
    }
    if (!(node instanceof Map)) {
      throw new InvalidArgumentException(
          what + " answered with something other than a JSON object");
    }
    String user = Json.scalarText(((Map<?, ?>) node).get("Username"));
    String secret = Json.scalarText(((Map<?, ?>) node).get("Secret"));
    if (secret.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Credentials(user, secret));
  }

  private FutureTask<byte[]> drain(InputStream in, String stream) {
    FutureTask<byte[]> task =
        new FutureTask<>(
            () -> {
              try (InputStream s = in) {
                byte[] data = s.readNBytes(MAX_OUTPUT);
                s.transferTo(OutputStream.nullOutputStream());
                return data;
              }
            });
    Thread t = new Thread(task, "hoist-credential-helper-" + name + "-" + stream);
    t.setDaemon(true);
    t.start();
    return task;
  }

  private static String firstLine(byte[] b) {
    String s = new String(b, StandardCharsets.UTF_8).strip();
    int nl = s.indexOf('\n');
    if (nl >= 0) {
      s = s.substring(0, nl);
    }
    if (s.startsWith("{")) {
      return ""; // JSON on an error path could carry a secret
    }
    return s.length() > 200 ? s.substring(0, 200) + "…" : s;
  }
}
