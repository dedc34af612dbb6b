package dev.hoist.remotes;

import dev.hoist.content.BlobSource;
import dev.hoist.content.Blobs;
import dev.hoist.content.ByteRange;
import dev.hoist.content.ContentStore;
import dev.hoist.content.ContentWriter;
import dev.hoist.content.IngestRefs;
import dev.hoist.content.Ingester;
import dev.hoist.errors.AlreadyExistsException;
import dev.hoist.errors.DigestMismatchException;
import dev.hoist.errors.FailedPreconditionException;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.errors.NotFoundException;
import dev.hoist.errors.NotImplementedException;
import dev.hoist.errors.UnknownException;
import dev.hoist.images.Handler;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.MediaTypes;
import dev.hoist.spec.OciJson;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Handler} that fetches each descriptor's content into an {@link Ingester}, verified, as
 * containerd's {@code remotes.FetchHandler} / {@code remotes.Fetch}. It returns no children;
 * combine it with a children handler to walk an image.
 *
 * <pre>{@code
 * Handler fetch = FetchHandler.builder(store, fetcher).progress(listener).build();
 * Dispatch.run(Handlers.all(fetch, Handlers.children(store)), executor, 4, List.of(root));
 * }</pre>
 *
 * <p>For each descriptor it:
 *
 * <ol>
 *   <li>refuses, before any network I/O, Docker schema 1 ({@link NotImplementedException}), a size
 *       of 0 and a manifest or index larger than {@link Builder#maxManifestBytes} ({@link
 *       InvalidArgumentException});
 *   <li>opens a writer keyed by {@link IngestRefs#of}, waiting while another fetch holds the ref;
 *       content already committed is reported as {@link FetchListener#exists} and not fetched;
 *   <li>resumes a partial ingest: a {@link RangeFetcher} is asked for the content from the writer's
 *       offset; any other fetcher's stream is read from the start and the kept prefix skipped;
 *   <li>commits with the descriptor's size and digest, and the {@link Builder#commitLabels commit
 *       labels}. Bytes that hash to another digest are discarded (the ingest is truncated, or
 *       aborted) so a retry starts from zero; on any other failure, an interrupt included, the
 *       writer is closed without commit and its bytes are kept for a later resume.
 * </ol>
 *
 * <p>Progress events ({@code downloading}, {@code bytesTransferred}, then {@code done} or {@code
 * failed}; or {@code exists}) go to the listener on the calling thread; a listener that throws is
 * logged at debug and ignored. Thread-safe: one handler serves a whole concurrent walk.
 */
public final class FetchHandler implements Handler {

  private static final Logger log = LoggerFactory.getLogger(FetchHandler.class);

  /**
   * How long a fetch waits for another writer of the same blob by default. containerd waits until
   * its context ends; a bound keeps a stuck writer from hanging a fetch forever.
   */
  public static final Duration DEFAULT_MAX_WAIT_FOR_BUSY_REF = Duration.ofMinutes(10);

  private final Ingester ingester;
  private final Fetcher fetcher;
  private final FetchListener progress;
  private final long maxManifestBytes;
  private final Duration maxWaitForBusyRef;
  private final Map<String, String> commitLabels;
  private final Consumer<Descriptor> onCommit;

  private FetchHandler(Builder b) {
    this.ingester = b.ingester;
    this.fetcher = b.fetcher;
    this.progress = b.progress;
    this.maxManifestBytes = b.maxManifestBytes;
    this.maxWaitForBusyRef = b.maxWaitForBusyRef;
    this.commitLabels = b.commitLabels;
    this.onCommit = b.onCommit;
  }

  /**
   * Returns a handler with default options, writing into {@code ingester} (often a store).
   *
   * @param ingester where fetched blobs are written
   * @param fetcher opens the blobs' content
   * @return the handler
   */
  public static FetchHandler of(Ingester ingester, Fetcher fetcher) {
    return builder(ingester, fetcher).build();
  }

  /**
   * Returns a builder for a handler writing into {@code ingester} (often a store).
   *
   * @param ingester where fetched blobs are written
   * @param fetcher opens the blobs' content
   * @return the builder
   */
  public static Builder builder(Ingester ingester, Fetcher fetcher) {
    return new Builder(ingester, fetcher);
  }

  /**
   * Fetches and commits {@code desc}'s content; returns no children.
   *
   * @throws NotImplementedException for a Docker schema 1 manifest
   * @throws InvalidArgumentException for a size of 0 or a manifest over the size limit
   * @throws dev.hoist.errors.DigestMismatchException when the fetched bytes do not match
   * @throws FailedPreconditionException when the remote stream ends early
   * @throws dev.hoist.errors.UnavailableException when reading fails or the ref stays busy
   * @throws java.util.concurrent.CancellationException when the thread is interrupted
   */
  @Override
  public List<Descriptor> handle(Descriptor desc) {
    Objects.requireNonNull(desc, "desc");
    try {
      check(desc);
    } catch (RuntimeException e) {
      failed(desc, e);
      throw e;
    }
    String ref = IngestRefs.of(desc);
    ContentWriter w;
    try {
      w = Blobs.openWriter(ingester, ref, desc, maxWaitForBusyRef);
    } catch (AlreadyExistsException e) {
      log.debug("digest={} mediaType={} exists", desc.digest(), desc.mediaType());
      exists(desc);
      return List.of();
    } catch (RuntimeException e) {
      failed(desc, e);
      throw e;
    }
    boolean discarded = true;
    try {
      long offset = offset(w, desc);
      long resume = offset <= desc.size() ? offset : 0;
      log.debug(
          "fetch digest={} mediaType={} size={} offset={}",
          desc.digest(),
          desc.mediaType(),
          desc.size(),
          resume);
      downloading(desc, resume);
      boolean committed =
          Blobs.copy(
              w, source(desc), desc.size(), desc.digest(), commitLabels, n -> transferred(desc, n));
      if (committed) {
        onCommit.accept(desc);
      }
      done(desc);
    } catch (DigestMismatchException e) {
      // Resuming from these bytes would fail again forever: drop them while we hold the ref.
      discarded = truncate(w, desc);
      failed(desc, e);
      throw e;
    } catch (RuntimeException e) {
      failed(desc, e);
      throw e;
    } finally {
      close(w, desc);
      if (!discarded) {
        // The writer could not truncate (some stores close it on a failed commit): abort instead.
        abort(ref, desc);
      }
    }
    return List.of();
  }

  private void check(Descriptor desc) {
    if (MediaTypes.isSchema1(desc.mediaType())) {
      throw new NotImplementedException(
          "fetch "
              + desc.digest()
              + ": Docker schema 1 manifests ("
              + desc.mediaType()
              + ") are not supported; push the image again with a current Docker or use an OCI"
              + " or schema 2 manifest");
    }
    if (desc.size() == 0) {
      // As containerd: most likely a registry or proxy that sent no Content-Length.
      throw new InvalidArgumentException(
          "fetch " + desc.digest() + ": descriptor reports a content size of zero");
    }
    if (MediaTypes.isManifestOrIndex(desc.mediaType()) && desc.size() > maxManifestBytes) {
      throw new InvalidArgumentException(
          "fetch "
              + desc.digest()
              + ": manifest size "
              + desc.size()
              + " exceeds the limit of "
              + maxManifestBytes
              + " bytes");
    }
  }

  private BlobSource source(Descriptor desc) {
    if (fetcher instanceof RangeFetcher) {
      RangeFetcher ranged = (RangeFetcher) fetcher;
      return new BlobSource() {
        @Override
        public InputStream open(long offset) throws IOException {
          return ranged.fetch(desc, offset);
        }

        @Override
        public boolean fillGaps(ContentWriter w, List<ByteRange> gaps, LongConsumer progress)
            throws IOException {
          return ranged.fetchInto(desc, w, gaps, progress);
        }
      };
    }
    return offset -> {
      InputStream in = fetcher.fetch(desc);
      if (in == null || offset == 0) {
        return in;
      }
      try {
        in.skipNBytes(offset);
        return in;
      } catch (EOFException e) {
        in.close();
        throw new FailedPreconditionException(
            "fetch "
                + desc.digest()
                + ": unexpected EOF skipping the "
                + offset
                + " bytes already in the ingest",
            e);
      } catch (IOException | RuntimeException e) {
        in.close();
        throw e;
      }
    };
  }

  /** The bytes the ingest holds already: its prefix, and any ranges kept beyond it. */
  private static long offset(ContentWriter w, Descriptor desc) {
    try {
      return w.supportsWriteAt() ? ByteRange.total(w.present()) : w.status().offset();
    } catch (IOException e) {
      throw new UnknownException(
          "fetch " + desc.digest() + ": ingest status: " + e.getMessage(), e);
    }
  }

  private static boolean truncate(ContentWriter w, Descriptor desc) {
    try {
      w.truncate(0);
      return true;
    } catch (IOException | RuntimeException e) {
      log.debug("digest={} truncate after digest mismatch failed", desc.digest(), e);
      return false;
    }
  }

  private void abort(String ref, Descriptor desc) {
    if (!(ingester instanceof ContentStore)) {
      log.warn("digest={} ref={}: mismatching bytes could not be discarded", desc.digest(), ref);
      return;
    }
    try {
      ((ContentStore) ingester).abort(ref);
    } catch (NotFoundException e) {
      // Gone already: nothing left to resume from.
    } catch (IOException | RuntimeException e) {
      log.warn("digest={} ref={}: abort after digest mismatch failed", desc.digest(), ref, e);
    }
  }

  private static void close(ContentWriter w, Descriptor desc) {
    try {
      w.close();
    } catch (IOException | RuntimeException e) {
      log.debug("digest={} closing writer failed", desc.digest(), e);
    }
  }

  // Listener calls: a listener must not break a fetch, so its failures are logged and dropped.

  private void downloading(Descriptor desc, long offset) {
    try {
      progress.downloading(desc, offset);
    } catch (RuntimeException e) {
      listenerFailed("downloading", e);
    }
  }

  private void transferred(Descriptor desc, long n) {
    try {
      progress.bytesTransferred(desc, n);
    } catch (RuntimeException e) {
      listenerFailed("bytesTransferred", e);
    }
  }

  private void done(Descriptor desc) {
    try {
      progress.done(desc);
    } catch (RuntimeException e) {
      listenerFailed("done", e);
    }
  }

  private void exists(Descriptor desc) {
    try {
      progress.exists(desc);
    } catch (RuntimeException e) {
      listenerFailed("exists", e);
    }
  }

  private void failed(Descriptor desc, Throwable error) {
    try {
      progress.failed(desc, error);
    } catch (RuntimeException e) {
      listenerFailed("failed", e);
    }
  }

  private static void listenerFailed(String event, RuntimeException e) {
    log.debug("progress listener threw on {}; ignored", event, e);
  }

  /** Options for a {@link FetchHandler}. Each option may be set once. Not thread-safe. */
  public static final class Builder {
    private final Ingester ingester;
    private final Fetcher fetcher;
    private FetchListener progress = new FetchListener() {};
    private long maxManifestBytes = OciJson.DEFAULT_MAX_MANIFEST_BYTES;
    private Duration maxWaitForBusyRef = DEFAULT_MAX_WAIT_FOR_BUSY_REF;
    private Map<String, String> commitLabels = Map.of();
    private Consumer<Descriptor> onCommit = d -> {};
    private boolean progressSet;
    private boolean commitLabelsSet;
    private boolean onCommitSet;
    private boolean maxManifestBytesSet;
    private boolean maxWaitSet;

    private Builder(Ingester ingester, Fetcher fetcher) {
      this.ingester = Objects.requireNonNull(ingester, "ingester");
      this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
    }

    /**
     * Sets the listener for progress events (a {@code dev.hoist.client.ProgressListener} is one);
     * default none.
     *
     * @param listener told of each blob's download, bytes and outcome
     * @return this builder
     * @throws IllegalStateException when a listener was already set
     */
    public Builder progress(FetchListener listener) {
      Objects.requireNonNull(listener, "listener");
      if (progressSet) {
        throw new IllegalStateException("progress already set");
      }
      progressSet = true;
      this.progress = listener;
      return this;
    }

    /**
     * Sets the largest manifest or index accepted; default {@link
     * OciJson#DEFAULT_MAX_MANIFEST_BYTES} (containerd's 4 × 1048 × 1048).
     *
     * @param bytes the largest manifest or index fetched, positive
     * @return this builder
     * @throws IllegalStateException when the limit was already set
     */
    public Builder maxManifestBytes(long bytes) {
      if (bytes <= 0) {
        throw new IllegalArgumentException("maxManifestBytes must be positive: " + bytes);
      }
      if (maxManifestBytesSet) {
        throw new IllegalStateException("maxManifestBytes already set");
      }
      maxManifestBytesSet = true;
      this.maxManifestBytes = bytes;
      return this;
    }

    /**
     * Sets how long to wait while another writer holds a blob's ingest ref; default {@link
     * #DEFAULT_MAX_WAIT_FOR_BUSY_REF}. {@link Duration#ZERO} fails at once.
     *
     * @param wait how long to retry opening a busy ingest ref, not negative
     * @return this builder
     * @throws IllegalStateException when the wait was already set
     */
    public Builder maxWaitForBusyRef(Duration wait) {
      Objects.requireNonNull(wait, "wait");
      if (wait.isNegative()) {
        throw new IllegalArgumentException("maxWaitForBusyRef must not be negative: " + wait);
      }
      if (maxWaitSet) {
        throw new IllegalStateException("maxWaitForBusyRef already set");
      }
      maxWaitSet = true;
      this.maxWaitForBusyRef = wait;
      return this;
    }

    /**
     * Sets the labels every newly committed blob gets in the same step as its commit; default none.
     * A store then writes a blob's labels once instead of once at commit and again in a later
     * {@link dev.hoist.content.ContentStore#update}. Blobs that already existed keep their labels
     * (the commit does not happen); a later handler such as {@link
     * DistributionSourceLabels#handler} merges into those.
     *
     * @param labels label keys to values for each new blob
     * @return this builder
     * @throws IllegalArgumentException when a key or value is empty
     * @throws IllegalStateException when the labels were already set
     */
    public Builder commitLabels(Map<String, String> labels) {
      Objects.requireNonNull(labels, "labels");
      labels.forEach(
          (k, v) -> {
            if (k == null || k.isEmpty() || v == null || v.isEmpty()) {
              throw new IllegalArgumentException(
                  "commit label needs a key and a value: " + k + "=" + v);
            }
          });
      if (commitLabelsSet) {
        throw new IllegalStateException("commitLabels already set");
      }
      commitLabelsSet = true;
      this.commitLabels = Map.copyOf(labels);
      return this;
    }

    /**
     * Sets what is told of each blob this handler commits itself, with the {@link #commitLabels
     * commit labels}: not of a blob that was there already or that another writer committed first.
     * {@link DistributionSourceLabels#handler(dev.hoist.content.ContentStore, String,
     * java.util.function.Predicate)} uses it to skip reading back labels just written. Called on
     * the fetching thread; it must be quick and must not throw.
     *
     * @param onCommit receives the descriptor of each blob this handler committed
     * @return this builder
     * @throws IllegalStateException when it was already set
     */
    public Builder onCommit(Consumer<Descriptor> onCommit) {
      Objects.requireNonNull(onCommit, "onCommit");
      if (onCommitSet) {
        throw new IllegalStateException("onCommit already set");
      }
      onCommitSet = true;
      this.onCommit = onCommit;
      return this;
    }

    /** {@return the handler} */
    public FetchHandler build() {
      return new FetchHandler(this);
    }
  }
}
