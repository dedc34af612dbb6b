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
 * @param chunkSize bytes per {@code Range} chunk when one large blob is fetched in parallel chunks
 * @param chunkParallelism chunks of one blob downloading at once; 1 fetches every blob as one
 *     stream
 * @param http1Transport whether {@code GET}s and {@code HEAD}s that would be HTTP/1.1 go over
 *     Hoist's own pooled connections ({@link OwnTransport}; see {@link Transports})
 */
public record Settings(
    String userAgent,
    RetryPolicy retryPolicy,
    Sleeper sleeper,
    Duration readIdleTimeout,
    HttpClient.Version httpVersion,
    long maxManifestBytes,
    boolean followForeignUrls,
    int chunkSize,
    int chunkParallelism,
    boolean http1Transport) {

  public Settings {
    Objects.requireNonNull(userAgent, "userAgent");
    Objects.requireNonNull(retryPolicy, "retryPolicy");
    Objects.requireNonNull(sleeper, "sleeper");
    Objects.requireNonNull(readIdleTimeout, "readIdleTimeout");
    Objects.requireNonNull(httpVersion, "httpVersion");
    if (chunkSize < 1 || chunkParallelism < 1) {
      throw new IllegalArgumentException(
          "chunkSize " + chunkSize + ", chunkParallelism " + chunkParallelism);
    }
  }

  /** Settings as the resolver's defaults had them before chunking existed: for tests. */
  public Settings(
      String userAgent,
      RetryPolicy retryPolicy,
      Sleeper sleeper,
      Duration readIdleTimeout,
      HttpClient.Version httpVersion,
      long maxManifestBytes,
      boolean followForeignUrls) {
    this(
        userAgent,
        retryPolicy,
        sleeper,
        readIdleTimeout,
        httpVersion,
        maxManifestBytes,
        followForeignUrls,
        8 << 20,
        1,
        true);
  }
}
