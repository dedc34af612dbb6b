package dev.hoist.remotes.docker.internal;

import dev.hoist.remotes.docker.RetryPolicy;
import dev.hoist.remotes.docker.Sleeper;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;

/**
 * The request options a {@code DockerResolver} was built with, shared by its fetchers.
 *
 * @param userAgent sent with every request
 * @param retryPolicy how retryable failures are retried
 * @param sleeper waits between retries
 * @param readIdleTimeout how long one read of a body may block before the body counts as stalled
 * @param httpVersion the preferred HTTP version, set on every request
 * @param maxManifestBytes the largest manifest or index read into memory
 * @param followForeignUrls whether a descriptor's {@code urls} are tried before the registry
 */
public record Settings(
    String userAgent,
    RetryPolicy retryPolicy,
    Sleeper sleeper,
    Duration readIdleTimeout,
    HttpClient.Version httpVersion,
    long maxManifestBytes,
    boolean followForeignUrls) {

  public Settings {
    Objects.requireNonNull(userAgent, "userAgent");
    Objects.requireNonNull(retryPolicy, "retryPolicy");
    Objects.requireNonNull(sleeper, "sleeper");
    Objects.requireNonNull(readIdleTimeout, "readIdleTimeout");
    Objects.requireNonNull(httpVersion, "httpVersion");
  }
}
