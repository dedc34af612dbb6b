package dev.hoist.remotes.docker;

import dev.hoist.content.ContentStore;
import dev.hoist.digest.Digest;
import dev.hoist.testkit.LoggedRequest;
import dev.hoist.testkit.TestRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Shared wiring for the {@code Testkit*} tests: a resolver that never really sleeps, and log
 * queries.
 */
final class TestkitFetches {

  /**
   * Three attempts, 1 ms backoff without jitter: a retry is visible in the log, and costs no time.
   */
  static final RetryPolicy FAST_RETRIES =
      RetryPolicy.builder()
          .maxAttempts(3)
          .baseBackoff(Duration.ofMillis(1))
          .maxBackoff(Duration.ofMillis(1))
          .jitter(0)
          .build();

  private TestkitFetches() {}

  static DockerResolver resolver(Sleeper sleeper) {
    return resolver(sleeper, h -> Authorizer.NONE);
  }

  /**
   * A short idle timeout, so that a client bug shows up as a failure rather than a minute-long
   * wait.
   */
  static DockerResolver resolver(Sleeper sleeper, Function<String, Authorizer> authorizers) {
    return DockerResolver.builder()
        .retryPolicy(FAST_RETRIES)
        .sleeper(sleeper)
        .readIdleTimeout(Duration.ofSeconds(10))
        .authorizer(authorizers)
        .build();
  }

  static Set<Digest> stored(ContentStore store) throws IOException {
    Set<Digest> digests = new HashSet<>();
    store.walk(info -> true, info -> digests.add(info.digest()));
    return digests;
  }

  /** The GETs of blob {@code digest} the registry answered. */
  static List<LoggedRequest> blobGets(TestRegistry registry, Digest digest) {
    return registry
        .requestLog()
        .matching("GET", "/blobs/" + java.util.regex.Pattern.quote(digest.toString()) + "$");
  }
}
