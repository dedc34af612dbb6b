package dev.hoist.content.local.internal;

import dev.hoist.content.ContentWriter;
import dev.hoist.content.IngestStatus;
import dev.hoist.digest.Digest;
import dev.hoist.errors.AlreadyExistsException;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The store's writers of small blobs ({@link SmallBlobWriter}): which blobs qualify, opening one,
 * and the ones in flight, which {@code status} and {@code ingests} of the same store instance
 * report (other instances and processes see such an ingest only once its writer closes without
 * committing, when it moves to an ingest directory).
 */
public final class SmallIngests {

  private final IngestContext ctx;
  private final long threshold;

  /**
   * Writers in flight, weakly: a writer dropped without close must become unreachable, so that the
   * cleaner of its {@link RefSlots.Slot} frees the ref (as an ingest directory's writer's lock is).
   */
  private final ConcurrentHashMap<String, WeakReference<SmallBlobWriter>> open =
      new ConcurrentHashMap<>();

  /**
   * @param threshold the largest blob kept in memory; zero turns small writers off
   */
  public SmallIngests(IngestContext ctx, long threshold) {
    this.ctx = ctx;
    this.threshold = threshold;
  }

  /** Whether a writer for this blob may keep it in memory: size and digest known, and small. */
  public boolean qualifies(long size, Digest expected) {
    return expected != null && size > 0 && size <= threshold;
  }

  /**
   * Opens a writer for the ref: in memory, or on the ref's ingest directory when it has one (a
   * resume, or an ingest of another Hoist version), which then resumes as always.
   *
   * @throws dev.hoist.errors.UnavailableException when another writer holds the ref
   * @throws AlreadyExistsException when the blob was committed meanwhile
   */
  public ContentWriter writer(String ref, long size, Digest expected) throws IOException {
    Path dir = ctx.layout().ingestDir(ref);
    RefSlots.Slot slot = RefSlots.acquire(dir, ref, ctx.lockWait());
    boolean handedOver = false;
    try {
      if (Files.exists(ctx.layout().blob(expected))) {
        throw new AlreadyExistsException("content " + expected + " already exists");
      }
      // Files.exists without options is an access(2) call; with NOFOLLOW_LINKS it throws (and fills
      // a stack trace) for the usual missing directory. A link here is followed only to see whether
      // something is there: LocalWriter then replaces the link, and a dangling one is left alone,
      // since the small path never uses this name.
      if (Files.exists(dir)) {
        handedOver = true; // to the ingest lock, also when opening fails
        return LocalWriter.open(ctx, ref, size, expected, slot);
      }
      SmallBlobWriter w = new SmallBlobWriter(ctx, this, ref, slot, (int) size, expected);
      open.put(ref, new WeakReference<>(w));
      handedOver = true;
      return w;
    } finally {
      if (!handedOver) {
        slot.close();
      }
    }
  }

  /** The status of the ref's writer in flight in this instance, or null. */
  public IngestStatus status(String ref) {
    SmallBlobWriter w = get(ref);
    return w == null ? null : w.status();
  }

  /** The statuses of the writers in flight in this instance. */
  public List<IngestStatus> list() {
    List<IngestStatus> out = new ArrayList<>();
    for (String ref : open.keySet()) {
      SmallBlobWriter w = get(ref);
      if (w != null) {
        out.add(w.status());
      }
    }
    return out;
  }

  /** Whether a writer of this instance holds the ref in memory. */
  public boolean holds(String ref) {
    return get(ref) != null;
  }

  void remove(String ref, SmallBlobWriter w) {
    open.computeIfPresent(ref, (k, r) -> r.get() == w || r.get() == null ? null : r);
  }

  /** The writer in flight for the ref, dropping the entry of one that was collected. */
  private SmallBlobWriter get(String ref) {
    WeakReference<SmallBlobWriter> r = open.get(ref);
    if (r == null) {
      return null;
    }
    SmallBlobWriter w = r.get();
    if (w == null) {
      open.remove(ref, r);
    }
    return w;
  }
}
