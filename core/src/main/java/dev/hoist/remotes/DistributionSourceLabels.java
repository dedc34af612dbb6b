package dev.hoist.remotes;

import dev.hoist.content.ContentInfo;
import dev.hoist.content.ContentStore;
import dev.hoist.digest.Digest;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.images.Handler;
import dev.hoist.reference.Reference;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records where blobs came from, as containerd's {@code remotes.AppendDistributionSourceLabel}: the
 * label {@code containerd.io/distribution.source.<host>} holds the sorted, comma-separated
 * repositories of that host a blob was fetched from. Registries can then mount the blob across
 * repositories on push.
 */
public final class DistributionSourceLabels {

  /** The label key prefix; the registry host (without port) follows it. */
  public static final String PREFIX = "containerd.io/distribution.source.";

  /** containerd's limit on a label's key plus value, in bytes ({@code labels.Validate}). */
  static final int MAX_LABEL_SIZE = 4096;

  private static final Logger log = LoggerFactory.getLogger(DistributionSourceLabels.class);

  private DistributionSourceLabels() {}

  /**
   * A handler that appends {@code ref}'s repository to the distribution source label of every blob
   * it handles. It returns no children and must run after the blob is in {@code store}.
   *
   * @param store where the handled blobs' labels are updated
   * @param ref a full reference such as {@code docker.io/library/nginx:latest}
   * @return the labelling handler
   * @throws InvalidArgumentException when {@code ref} is malformed
   */
  public static Handler handler(ContentStore store, String ref) {
    return handler(store, ref, d -> false);
  }

  /**
   * As {@link #handler(ContentStore, String)}, but blobs for which {@code labelledAtCommit} is true
   * are left alone without reading their labels: those a {@link FetchHandler} of this fetch
   * committed with {@link #forNewBlobs} of the same {@code ref} as its commit labels (see {@link
   * FetchHandler.Builder#onCommit}), whose label is the repository alone.
   *
   * @param store where the handled blobs' labels are updated
   * @param ref a full reference such as {@code docker.io/library/nginx:latest}
   * @param labelledAtCommit true for a digest committed by this fetch with the label set
   * @return the labelling handler
   * @throws InvalidArgumentException when {@code ref} is malformed
   */
  public static Handler handler(
      ContentStore store, String ref, Predicate<Digest> labelledAtCommit) {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(labelledAtCommit, "labelledAtCommit");
    Reference parsed = Reference.parse(Objects.requireNonNull(ref, "ref"));
    String key = key(parsed.hostname());
    String repository = parsed.repository();
    return desc -> {
      if (labelledAtCommit.test(desc.digest())) {
        return List.of();
      }
      ContentInfo info = store.info(desc.digest());
      String existing = info.labels().get(key);
      String value = append(existing, repository);
      if (value.equals(existing)) {
        // Listed already (set at commit by forNewBlobs, or by an earlier fetch): nothing to write.
        return List.of();
      }
      int total = utf8Length(key) + utf8Length(value);
      if (total > MAX_LABEL_SIZE) {
        // As containerd: a very common layer's list can outgrow the label limit; keep the blob.
        log.warn(
            "distribution source label not appended: digest={} size={} limit={}",
            desc.digest(),
            total,
            MAX_LABEL_SIZE);
        return List.of();
      }
      store.update(desc.digest(), Map.of(key, value));
      return List.of();
    };
  }

  /**
   * The label a blob fetched from {@code ref} gets when it is new: {@code ref}'s repository alone,
   * which is what {@link #handler} would append to a blob without the label. Give it to {@link
   * FetchHandler.Builder#commitLabels} so that a new blob's labels are written with its commit
   * instead of in a second update; {@link #handler} then finds the repository listed and writes
   * nothing. Empty when the label would exceed containerd's size limit (it is skipped then).
   *
   * @param ref a full reference such as {@code docker.io/library/nginx:latest}
   * @return the label key mapped to the repository, or an empty map
   * @throws InvalidArgumentException when {@code ref} is malformed
   */
  public static Map<String, String> forNewBlobs(String ref) {
    Reference parsed = Reference.parse(Objects.requireNonNull(ref, "ref"));
    String key = key(parsed.hostname());
    String repository = parsed.repository();
    if (utf8Length(key) + utf8Length(repository) > MAX_LABEL_SIZE) {
      return Map.of();
    }
    return Map.of(key, repository);
  }

  /**
   * The label key for {@code host}: its port is dropped, as Go's {@code url.Hostname()} does.
   *
   * @param host a registry host, with or without a port
   * @return {@code containerd.io/distribution.source.<hostname>}
   */
  public static String key(String host) {
    String name = host;
    if (name.startsWith("[")) {
      int end = name.indexOf(']');
      name = end < 0 ? name.substring(1) : name.substring(1, end);
    } else {
      int colon = name.lastIndexOf(':');
      if (colon >= 0) {
        name = name.substring(0, colon);
      }
    }
    return PREFIX + name;
  }

  private static int utf8Length(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  /** {@code existing} (comma-separated, may be null) plus {@code repository}: sorted, distinct. */
  static String append(String existing, String repository) {
    TreeSet<String> repos = new TreeSet<>();
    if (existing != null && !existing.isEmpty()) {
      for (String r : existing.split(",")) {
        if (!r.isEmpty()) {
          repos.add(r);
        }
      }
    }
    repos.add(repository);
    return String.join(",", repos);
  }
}
