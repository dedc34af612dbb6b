package dev.hoist.content.local;

import dev.hoist.content.ContentInfo;
import dev.hoist.content.ContentStore;
import dev.hoist.content.ContentWriter;
import dev.hoist.content.IngestStatus;
import dev.hoist.content.local.internal.BlobMetadata;
import dev.hoist.content.local.internal.GroupSync;
import dev.hoist.content.local.internal.IngestContext;
import dev.hoist.content.local.internal.IngestDirs;
import dev.hoist.content.local.internal.LocalWriter;
import dev.hoist.content.local.internal.OciIndexImages;
import dev.hoist.content.local.internal.SmallIngests;
import dev.hoist.content.local.internal.StoreCollectionLock;
import dev.hoist.content.local.internal.StoreErrors;
import dev.hoist.content.local.internal.StoreLayout;
import dev.hoist.content.local.internal.Syncer;
import dev.hoist.digest.Digest;
import dev.hoist.errors.AlreadyExistsException;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.errors.NotFoundException;
import dev.hoist.errors.UnavailableException;
import dev.hoist.gc.CollectionLock;
import dev.hoist.images.Image;
import dev.hoist.images.ImageStore;
import dev.hoist.spec.Descriptor;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A content store and image store in a directory, crash-safe and resumable, modelled on
 * containerd's {@code plugins/content/local}. The directory is also an <a
 * href="https://github.com/opencontainers/image-spec/blob/main/image-layout.md">OCI image
 * layout</a>, so skopeo ({@code oci:<root>:<name>}), crane and oras can read what Hoist fetched:
 *
 * <pre>
 * oci-layout                     {"imageLayoutVersion":"1.0.0"}
 * index.json                     the images (see below)
 * blobs/&lt;alg&gt;/&lt;hex&gt;             committed blobs, read-only, verified
 * ingest/&lt;sha256(ref)&gt;/          writes in progress: ref, data, startedat, updatedat, total
 * ingest/&lt;sha256(ref)&gt;.tmp       a small blob being committed (see below)
 * ingest/refs.lock               one byte per ref: which writer holds it
 * labels/&lt;alg&gt;/&lt;hex&gt;.json       blob labels and times
 * </pre>
 *
 * <p><b>Writers</b> are exclusive per ingest ref, across threads and processes (an OS lock on the
 * ref's byte of {@code ingest/refs.lock}, and on the lock file of the ingest directory when there
 * is one). A blob of known size and digest up to {@link Builder#smallBlobThreshold} (1 MiB) is kept
 * in memory until commit, which writes it to one new file and links that into {@code blobs/}: no
 * ingest directory is made for it unless its writer closes without committing. By default a second
 * writer for a busy ref fails at once with {@link UnavailableException} (core's {@code
 * Blobs.openWriter} retries); {@link Builder#lockWait(Duration)} makes it wait instead. A writer
 * closed without commit, or whose process died, leaves its bytes; the next writer for the ref
 * rehashes them and continues. Commit checks size and digest, fsyncs, makes the file read-only and
 * links it into {@code blobs/} without replacing anything: if another process committed the same
 * blob first, the commit throws {@link AlreadyExistsException} and the existing blob stands.
 * Concurrent commits share the fsync of the {@code blobs/<alg>} directory (group commit); a commit
 * returns only once its blob and directory entry are durable. Labels files are replaced atomically
 * but not fsynced: after an operating-system crash a blob may have lost its latest labels (the next
 * fetch sets them again), never its bytes.
 *
 * <p><b>Images</b> are the manifests of {@code index.json}, each annotated with {@code
 * org.opencontainers.image.ref.name} and {@code io.containerd.image.name}, both set to the full
 * name ({@code docker.io/library/nginx:latest}); skopeo looks images up by the former. Updates take
 * a file lock, re-read the index under it, and replace the file atomically.
 *
 * <p><b>Garbage collection</b> ({@link dev.hoist.gc.GarbageCollector}) and fetches exclude each
 * other through {@code gc.lock} in the root ({@link CollectionLock}): fetches share it, a
 * collection holds it alone, in any process.
 *
 * <p>Instances are thread-safe; several instances and processes may share one root.
 */
public final class LocalContentStore implements ContentStore, ImageStore, CollectionLock {

  /** The default of {@link Builder#smallBlobThreshold}: 1 MiB. */
  public static final long DEFAULT_SMALL_BLOB_THRESHOLD = 1 << 20;

  /** The largest {@link Builder#smallBlobThreshold} accepted: 64 MiB. */
  public static final long MAX_SMALL_BLOB_THRESHOLD = 64 << 20;

  private final StoreLayout layout;
  private final BlobMetadata metadata;
  private final OciIndexImages images;
  private final IngestContext ingest;
  private final Clock clock;
  private final StoreCollectionLock collectionLock;
  private final IngestDirs ingestDirs;
  private final SmallIngests smallIngests;
  private volatile boolean writable;

  private LocalContentStore(Builder b) throws IOException {
    this.layout = b.existing ? StoreLayout.existing(b.root) : StoreLayout.create(b.root);
    this.clock = b.clock;
    this.metadata = new BlobMetadata(layout, b.clock);
    this.images = new OciIndexImages(layout, clock, !b.existing);
    this.collectionLock = new StoreCollectionLock(layout.collectionLockFile());
    this.ingestDirs = new IngestDirs(layout);
    this.ingest =
        new IngestContext(layout, metadata, clock, b.lockWait, b.syncer, new GroupSync(b.syncer));
    this.smallIngests = new SmallIngests(ingest, b.smallBlobThreshold);
  }

  /**
   * Opens the store at {@code root} with default options, creating the directory when missing.
   *
   * @param root the store's directory
   * @return the open store
   * @throws InvalidArgumentException when {@code root} or one of its parents is not a directory
   * @throws dev.hoist.errors.FailedPreconditionException when {@code root} cannot be written
   * @throws IOException when the directory or the layout files cannot be created or read
   */
  public static LocalContentStore open(Path root) throws IOException {
    return builder(root).build();
  }

  /**
   * Opens the existing store at {@code root} for reading, creating nothing (no directory, no {@code
   * index.json}): what read-only commands use, so that a mistyped path is an error and not a new
   * empty store. Writing through it works where the layout allows.
   *
   * @param root the store's root directory
   * @return the store
   * @throws NotFoundException when {@code root} is not a directory with an {@code oci-layout} file
   * @throws IOException when the store cannot be read
   */
  public static LocalContentStore openExisting(Path root) throws IOException {
    Builder b = builder(root);
    b.existing = true;
    return b.build();
  }

  /**
   * Options for a store at {@code root}.
   *
   * @param root the store's directory
   * @return a builder with every option at its default
   */
  public static Builder builder(Path root) {
    return new Builder(root);
  }

  /** {@return the store's root directory (absolute)} */
  public Path root() {
    return layout.root();
  }

  // ---- ContentProvider

  /** Opens a committed blob for random access, as a read-only {@link FileChannel}. */
  @Override
  public SeekableByteChannel open(Descriptor desc) throws IOException {
    Objects.requireNonNull(desc, "desc");
    try {
      return FileChannel.open(
          layout.blob(desc.digest()), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      throw new NotFoundException("content " + desc.digest() + " not found in " + root());
    }
  }

  // ---- Ingester

  /**
   * Opens or resumes the ingest {@code ref}; see the class comment for locking.
   *
   * @throws AlreadyExistsException when {@code desc}'s digest is committed already
   * @throws UnavailableException when another writer holds {@code ref} (after the lock wait)
   */
  @Override
  public ContentWriter writer(String ref, Descriptor desc) throws IOException {
    Digest expected = desc == null ? null : desc.digest();
    if (expected != null && Files.exists(layout.blob(expected))) {
      ingestDirs.discardLeftover(ref);
      throw new AlreadyExistsException("content " + expected + " already exists");
    }
    checkWritable();
    long size = desc == null ? 0 : desc.size();
    LocalWriter.checkArguments(ref, size);
    try {
      if (smallIngests.qualifies(size, expected)) {
        return smallIngests.writer(ref, size, expected);
      }
      return LocalWriter.open(ingest, ref, size, expected);
    } catch (IOException e) {
      throw StoreErrors.orTyped(e, layout.ingestRoot());
    }
  }

  /** Once per store, before its first writer: see {@link StoreErrors#requireWritable}. */
  private void checkWritable() throws IOException {
    if (!writable) {
      StoreErrors.requireWritable(layout.ingestRoot());
      writable = true;
    }
  }

  // ---- ContentStore

  @Override
  public ContentInfo info(Digest digest) throws IOException {
    return metadata.info(Objects.requireNonNull(digest, "digest"));
  }

  @Override
  public ContentInfo update(Digest digest, Map<String, String> labels) throws IOException {
    Objects.requireNonNull(digest, "digest");
    try {
      return metadata.update(digest, labels == null ? Map.of() : labels, clock.instant());
    } catch (IOException e) {
      throw StoreErrors.orTyped(e, layout.labels(digest));
    }
  }

  @Override
  public void walk(Predicate<ContentInfo> filter, Consumer<ContentInfo> visitor)
      throws IOException {
    for (String alg : List.of(Digest.SHA256, Digest.SHA512)) {
      Path dir = layout.blobsDir().resolve(alg);
      if (!Files.isDirectory(dir)) {
        continue;
      }
      List<Digest> digests = new ArrayList<>();
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
        for (Path p : entries) {
          String s = alg + ":" + p.getFileName();
          if (Digest.isValid(s)) { // skips temp files and debris of other tools
            digests.add(Digest.parse(s));
          }
        }
      }
      digests.sort(Comparator.naturalOrder());
      for (Digest d : digests) {
        ContentInfo info;
        try {
          info = metadata.info(d);
        } catch (NotFoundException e) {
          continue; // deleted while we walked
        }
        if (filter == null || filter.test(info)) {
          visitor.accept(info);
        }
      }
    }
  }

  // ---- CollectionLock

  /** Held by fetches until their image is recorded; see the class comment. */
  @Override
  public Hold shared() throws IOException {
    return collectionLock.shared();
  }

  /** Held by a garbage collection; waits for every fetch in flight, in any process. */
  @Override
  public Hold exclusive() throws IOException {
    return collectionLock.exclusive();
  }

  @Override
  public Hold tryExclusive() throws IOException {
    return collectionLock.tryExclusive();
  }

  /**
   * {@inheritDoc}
   *
   * <p>The blob file goes first, then its labels; an image whose root blob is deleted is listed as
   * broken, never as complete.
   */
  @Override
  public void deleteBlob(Digest digest) throws IOException {
    Objects.requireNonNull(digest, "digest");
    try {
      Files.delete(layout.blob(digest));
    } catch (NoSuchFileException e) {
      throw new NotFoundException("content " + digest + " not found");
    }
    metadata.delete(digest);
  }

  /**
   * {@inheritDoc}
   *
   * <p>A small blob's writer in flight (see {@link Builder#smallBlobThreshold}) is listed by the
   * store instance that opened it; other instances and processes list it once it closes without
   * committing.
   */
  @Override
  public List<IngestStatus> ingests() throws IOException {
    Map<String, IngestStatus> byRef = new java.util.TreeMap<>();
    ingestDirs.list().forEach(s -> byRef.put(s.ref(), s));
    smallIngests.list().forEach(s -> byRef.put(s.ref(), s)); // the writer's own view is current
    return new ArrayList<>(byRef.values());
  }

  /**
   * {@inheritDoc}
   *
   * <p>A small blob's writer in flight is seen by the store instance that opened it only (see
   * {@link #ingests()}).
   */
  @Override
  public IngestStatus status(String ref) throws IOException {
    IngestStatus small = smallIngests.status(ref);
    return small != null ? small : ingestDirs.status(ref);
  }

  /**
   * Discards an ingest.
   *
   * @throws UnavailableException when a writer holds the ref
   */
  @Override
  public void abort(String ref) throws IOException {
    if (smallIngests.holds(ref)) {
      throw new UnavailableException("ingest ref \"" + ref + "\" is held by a writer");
    }
    ingestDirs.abort(ref);
  }

  /**
   * Removes ingests last updated before {@code now - age} that no writer holds (a live writer in
   * any process keeps its ingest). containerd leaves this to garbage collection.
   *
   * @param age how long an ingest must have gone without a write to be removed
   * @return the refs removed
   * @throws IOException when the ingests cannot be listed or removed
   */
  public List<String> removeIngestsOlderThan(Duration age) throws IOException {
    if (age == null || age.isNegative()) {
      throw new InvalidArgumentException("ingest age must be zero or positive, got " + age);
    }
    return ingestDirs.removeOlderThan(clock.instant().minus(age));
  }

  // ---- ImageStore

  @Override
  public Optional<Image> get(String name) throws IOException {
    return images.get(name);
  }

  @Override
  public List<Image> list() throws IOException {
    return images.list();
  }

  @Override
  public Image create(Image image) throws IOException {
    Objects.requireNonNull(image, "image");
    try {
      return images.create(image);
    } catch (IOException e) {
      throw StoreErrors.orTyped(e, layout.indexFile());
    }
  }

  @Override
  public Image update(Image image) throws IOException {
    Objects.requireNonNull(image, "image");
    try {
      return images.update(image);
    } catch (IOException e) {
      throw StoreErrors.orTyped(e, layout.indexFile());
    }
  }

  @Override
  public void deleteImage(String name) throws IOException {
    images.delete(name);
  }

  @Override
  public String toString() {
    return "LocalContentStore[" + root() + "]";
  }

  /** Options for a {@link LocalContentStore}. */
  public static final class Builder {
    private final Path root;
    private Clock clock = Clock.systemUTC();
    private Duration lockWait = Duration.ZERO;
    private Syncer syncer = Syncer.SYSTEM;
    private long smallBlobThreshold = DEFAULT_SMALL_BLOB_THRESHOLD;
    private boolean existing;

    private Builder(Path root) {
      this.root = root;
    }

    /**
     * The clock for ingest, label and image times, and for ingest ages (default: UTC system).
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * How long {@link #writer} waits for a ref held by another writer before throwing {@link
     * UnavailableException}; default zero (fail at once, as containerd's local store does).
     *
     * @param wait zero or positive
     * @return this builder
     * @throws InvalidArgumentException when {@code wait} is negative
     */
    public Builder lockWait(Duration wait) {
      if (wait == null || wait.isNegative()) {
        throw new InvalidArgumentException("lock wait must be zero or positive, got " + wait);
      }
      this.lockWait = wait;
      return this;
    }

    /**
     * The largest blob whose writer keeps the bytes in memory and writes them to disk once, at
     * commit, instead of into an ingest directory; default {@value
     * LocalContentStore#DEFAULT_SMALL_BLOB_THRESHOLD} bytes (1 MiB), zero for never. Only writers
     * opened with a descriptor that gives the size and the digest qualify. Such a commit creates
     * one file (the blob) where an ingest directory creates seven, which is most of what a small
     * blob costs on a file system that is slow to create inodes. The blob is as durable and as
     * verified when commit returns; what differs while it is written: {@link
     * LocalContentStore#status}/{@link LocalContentStore#ingests} of other store instances and
     * processes do not see it, and a process killed while writing it leaves nothing to resume (a
     * writer closed without commit moves its bytes to an ingest directory, which later writers
     * resume). Memory: up to this many bytes per open writer.
     *
     * @param bytes zero or positive, at most {@value LocalContentStore#MAX_SMALL_BLOB_THRESHOLD}
     * @return this builder
     * @throws InvalidArgumentException when {@code bytes} is negative or above the maximum
     */
    public Builder smallBlobThreshold(long bytes) {
      if (bytes < 0 || bytes > MAX_SMALL_BLOB_THRESHOLD) {
        throw new InvalidArgumentException(
            "small blob threshold must be 0.." + MAX_SMALL_BLOB_THRESHOLD + " bytes, got " + bytes);
      }
      this.smallBlobThreshold = bytes;
      return this;
    }

    /** Tests only: the syncs behind commits, so that they can be counted or held. */
    Builder syncer(Syncer syncer) {
      this.syncer = Objects.requireNonNull(syncer, "syncer");
      return this;
    }

    /**
     * Opens the store, creating the root and the layout files when missing.
     *
     * @return the open store
     * @throws InvalidArgumentException when the root or one of its parents is not a directory
     * @throws dev.hoist.errors.FailedPreconditionException when the root cannot be written
     * @throws IOException when the directory or the layout files cannot be created or read
     */
    public LocalContentStore build() throws IOException {
      return new LocalContentStore(this);
    }
  }
}
