package dev.hoist.client.internal;

import dev.hoist.content.ContentStore;
import dev.hoist.digest.Digest;
import dev.hoist.images.Handler;
import dev.hoist.remotes.DistributionSourceLabels;
import dev.hoist.remotes.FetchHandler;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The distribution-source label of one fetch from a registry, as containerd sets it: a new blob
 * gets it with its commit (one labels write, not two), and a blob that was there already gets the
 * repository appended afterwards. The labels of the blobs this fetch committed with the label are
 * not read back. Used by fetch and pull alike; thread-safe.
 */
public final class SourceLabelling {

  private final Map<String, String> newBlobs;
  private final Set<Digest> labelledAtCommit = ConcurrentHashMap.newKeySet();
  private final Handler handler;

  /**
   * @param store where the fetched blobs go
   * @param ref the full reference fetched from
   */
  public SourceLabelling(ContentStore store, String ref) {
    this.newBlobs = DistributionSourceLabels.forNewBlobs(ref);
    this.handler = DistributionSourceLabels.handler(store, ref, labelledAtCommit::contains);
  }

  /** Has {@code fetch} commit new blobs with the label, and tell this labelling which it did. */
  public FetchHandler.Builder committing(FetchHandler.Builder fetch) {
    if (newBlobs.isEmpty()) {
      return fetch; // over containerd's size limit: the handler decides for every blob
    }
    return fetch.commitLabels(newBlobs).onCommit(d -> labelledAtCommit.add(d.digest()));
  }

  /** The handler that appends the repository to blobs that existed; it runs after the fetch. */
  public Handler handler() {
    return handler;
  }
}
