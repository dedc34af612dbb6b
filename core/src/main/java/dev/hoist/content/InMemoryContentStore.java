package dev.hoist.content;

import dev.hoist.digest.Digest;
import dev.hoist.errors.AlreadyExistsException;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.errors.NotFoundException;
import dev.hoist.errors.UnavailableException;
import dev.hoist.gc.CollectionLock;
import dev.hoist.gc.JvmCollectionLock;
import dev.hoist.spec.Descriptor;
import java.nio.channels.SeekableByteChannel;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A {@link ContentStore} that keeps everything in memory, for tests and small images. It honours
 * the same contract as the on-disk store (see {@code ContentStoreContract} in core's test-jar):
 *
 * <ul>
 *   <li>an ingest ref is locked while a writer is open on it: a second {@link #writer} for the same
 *       ref throws {@link UnavailableException};
 *   <li>closing a writer without committing keeps its bytes, and the next writer for the ref
 *       resumes from them;
 *   <li>a writer for a digest that is already committed throws {@link AlreadyExistsException}
 *       before anything is written;
 *   <li>commit checks size and digest and publishes nothing when either differs.
 * </ul>
 *
 * <p>It is a {@link CollectionLock} within this JVM, so {@link dev.hoist.gc.GarbageCollector} never
 * collects the content of a fetch in flight.
 *
 * <p>Thread-safe. Blobs are held as byte arrays, so each is limited to 2 GiB and the whole store to
 * the heap. Timestamps come from the {@link Clock} given at construction.
 */
public final class InMemoryContentStore implements ContentStore, CollectionLock {

  private final Object lock = new Object();
  // Fetches hold it shared until their image is recorded, garbage collection exclusively.
  private final JvmCollectionLock collection = new JvmCollectionLock();
  private final Clock clock;
  private final Map<Digest, Blob> blobs = new HashMap<>();
  private final Map<String, MemoryIngest> ingests = new TreeMap<>();

  /** A store whose timestamps come from the system clock. */
  public InMemoryContentStore() {
    this(Clock.systemUTC());
  }

  /**
   * A store whose timestamps come from {@code clock}.
   *
   * @param clock gives the commit, update and ingest times
   */
  public InMemoryContentStore(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public SeekableByteChannel open(Descriptor desc) {
    Objects.requireNonNull(desc, "desc");
    synchronized (lock) {
      return new ByteArrayChannel(blob(desc.digest()).data);
    }
  }

  @Override
  public ContentInfo info(Digest digest) {
    Objects.requireNonNull(digest, "digest");
    synchronized (lock) {
      return blob(digest).info;
    }
  }

  @Override
  public ContentInfo update(Digest digest, Map<String, String> labels) {
    Objects.requireNonNull(digest, "digest");
    Objects.requireNonNull(labels, "labels");
    synchronized (lock) {
      Blob blob = blob(digest);
      Map<String, String> merged = new HashMap<>(blob.info.labels());
      labels.forEach(
          (k, v) -> {
            // As containerd: an empty value removes the label.
            if (v == null || v.isEmpty()) {
              merged.remove(k);
            } else {
              merged.put(k, v);
            }
          });
      blob.info = blob.info.withLabels(merged, clock.instant());
      return blob.info;
    }
  }

  @Override
  public void walk(Predicate<ContentInfo> filter, Consumer<ContentInfo> visitor) {
    Objects.requireNonNull(filter, "filter");
    Objects.requireNonNull(visitor, "visitor");
    List<ContentInfo> snapshot = new ArrayList<>();
    synchronized (lock) {
      for (Blob b : blobs.values()) {
        snapshot.add(b.info);
      }
    }
    // The visitor runs outside the lock, so it may call back into the store.
    snapshot.sort(Comparator.comparing(ContentInfo::digest));
    for (ContentInfo info : snapshot) {
      if (filter.test(info)) {
        visitor.accept(info);
      }
    }
  }

  @Override
  public void deleteBlob(Digest digest) {
    Objects.requireNonNull(digest, "digest");
    synchronized (lock) {
      if (blobs.remove(digest) == null) {
        throw new NotFoundException("content " + digest + ": not found");
      }
    }
  }

  @Override
  public Hold shared() throws java.io.InterruptedIOException {
    return collection.shared();
  }

  @Override
  public Hold exclusive() throws java.io.InterruptedIOException {
    return collection.exclusive();
  }

  @Override
  public Hold tryExclusive() {
    return collection.tryExclusive();
  }

  @Override
  public List<IngestStatus> ingests() {
    synchronized (lock) {
      List<IngestStatus> out = new ArrayList<>(ingests.size());
      for (MemoryIngest i : ingests.values()) {
        out.add(i.status());
      }
      return out;
    }
  }

  @Override
  public IngestStatus status(String ref) {
    Objects.requireNonNull(ref, "ref");
    synchronized (lock) {
      return ingest(ref).status();
    }
  }

  @Override
  public void abort(String ref) {
    Objects.requireNonNull(ref, "ref");
    synchronized (lock) {
      if (ingests.remove(ref) == null) {
        throw new NotFoundException("ingest " + ref + ": not found");
      }
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws InvalidArgumentException when {@code ref} is empty
   * @throws dev.hoist.errors.FailedPreconditionException when an existing ingest for {@code ref}
   *     expects a different size or digest
   */
  @Override
  public ContentWriter writer(String ref, Descriptor desc) {
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(desc, "desc");
    if (ref.isEmpty()) {
      throw new InvalidArgumentException("ingest ref must not be empty");
    }
    synchronized (lock) {
      // Checked first, as containerd's local store: no bytes are fetched for a blob we have.
      if (blobs.containsKey(desc.digest())) {
        throw new AlreadyExistsException("content " + desc.digest() + ": already exists");
      }
      MemoryIngest ingest = ingests.get(ref);
      if (ingest != null && ingest.locked) {
        throw new UnavailableException("ingest ref \"" + ref + "\" is locked by another writer");
      }
      if (ingest != null && !matches(ingest, desc)) {
        // The kept bytes belong to other content: start over rather than resume from them.
        ingests.remove(ref);
        ingest = null;
      }
      if (ingest == null) {
        ingest = new MemoryIngest(ref, desc.size(), desc.digest(), clock.instant());
        ingests.put(ref, ingest);
      }
      ingest.locked = true;
      return new InMemoryWriter(this, ingest, desc.digest().algorithm());
    }
  }

  private static boolean matches(MemoryIngest ingest, Descriptor desc) {
    boolean sameTotal = ingest.total <= 0 || desc.size() <= 0 || ingest.total == desc.size();
    return sameTotal && desc.digest().equals(ingest.expected);
  }

  Object lock() {
    return lock;
  }

  Instant now() {
    return clock.instant();
  }

  /** True when {@code ingest} is still the live ingest of its ref (not aborted or committed). */
  boolean isLive(MemoryIngest ingest) {
    return ingests.get(ingest.ref) == ingest;
  }

  void release(MemoryIngest ingest) {
    ingest.locked = false;
  }

  /** Publishes {@code data} under {@code digest} and drops the ingest; called under the lock. */
  void publish(MemoryIngest ingest, Digest digest, Map<String, String> labels) {
    ingests.remove(ingest.ref);
    ingest.locked = false;
    if (blobs.containsKey(digest)) {
      throw new AlreadyExistsException("content " + digest + ": already exists");
    }
    Instant now = clock.instant();
    byte[] data = ingest.copy();
    blobs.put(digest, new Blob(data, new ContentInfo(digest, data.length, now, now, labels)));
  }

  private Blob blob(Digest digest) {
    Blob b = blobs.get(digest);
    if (b == null) {
      throw new NotFoundException("content " + digest + ": not found");
    }
    return b;
  }

  private MemoryIngest ingest(String ref) {
    MemoryIngest i = ingests.get(ref);
    if (i == null) {
      throw new NotFoundException("ingest " + ref + ": not found");
    }
    return i;
  }

  /** A committed blob; a class rather than a record because it holds an array. */
  private static final class Blob {
    final byte[] data;
    ContentInfo info;

    Blob(byte[] data, ContentInfo info) {
      this.data = data;
      this.info = info;
    }
  }
}
