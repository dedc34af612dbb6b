package dev.hoist.content.local.internal;

import dev.hoist.content.ByteRange;
import dev.hoist.content.ContentWriter;
import dev.hoist.content.IngestStatus;
import dev.hoist.digest.Digest;
import dev.hoist.digest.Digester;
import dev.hoist.errors.AlreadyExistsException;
import dev.hoist.errors.DigestMismatchException;
import dev.hoist.errors.FailedPreconditionException;
import dev.hoist.errors.InvalidArgumentException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A writer on {@code ingest/<hash>/data}. It holds the ingest lock from open to close or commit.
 * Bytes go straight from the caller's buffer to the file channel and are hashed from a duplicate of
 * the same buffer once written, so there is one pass and no copy of our own.
 *
 * <p>Bytes written {@linkplain #writeAt at an offset} beyond the contiguous prefix are kept in the
 * data file and listed in the ingest's {@link IngestRanges ranges} file once they are on disk; the
 * prefix (what is hashed, and the status offset) grows over them by reading them back when it
 * reaches them, so the digest still covers the blob in order.
 */
public final class LocalWriter implements ContentWriter {

  private static final Logger LOG = LoggerFactory.getLogger(LocalWriter.class);
  private static final int REHASH_BUFFER = 1 << 20;

  /**
   * Prefix bytes appended, while bytes beyond the prefix are held, before the ranges file records
   * the longer prefix: what a kill can lose of the prefix, traded against a data fsync per record.
   * Bytes written beyond the prefix are recorded at once.
   */
  static final long RECORD_EVERY_BYTES = 1 << 20;

  private static final Set<PosixFilePermission> READ_ONLY =
      PosixFilePermissions.fromString("r--r--r--");
  private static final Set<PosixFilePermission> READ_WRITE =
      PosixFilePermissions.fromString("rw-r--r--");

  private final StoreLayout layout;
  private final IngestContext ctx;
  private final BlobMetadata metadata;
  private final Clock clock;
  private final String ref;
  private final Path dir;
  private final IngestLock lock;
  private final long total;
  private final Digest expected;
  private final Instant startedAt;
  private Instant updatedAt;
  private FileChannel data;
  private Object dataKey;
  private WriteBehind writeBehind;
  private Digester digester;
  private long offset;

  /** Ranges held beyond the prefix, start to end: disjoint, each starting after the prefix. */
  private final TreeMap<Long, Long> beyond = new TreeMap<>();

  /** Whether a ranges file exists (it must be kept current or removed). */
  private boolean rangesRecorded;

  /** Bytes written since the ranges file was last written. */
  private long unrecorded;

  private boolean closed;
  private boolean broken;

  private LocalWriter(
      IngestContext ctx,
      String ref,
      IngestLock lock,
      long total,
      Digest expected,
      Instant startedAt) {
    this.layout = ctx.layout();
    this.ctx = ctx;
    this.metadata = ctx.metadata();
    this.clock = ctx.clock();
    this.ref = ref;
    this.dir = layout.ingestDir(ref);
    this.lock = lock;
    this.total = total;
    this.expected = expected;
    this.startedAt = startedAt;
    this.updatedAt = startedAt;
  }

  /**
   * Opens (or resumes) the ingest {@code ref}. The caller has checked that the expected blob is not
   * committed yet; this checks again under the lock.
   */
  public static LocalWriter open(IngestContext ctx, String ref, long total, Digest expected)
      throws IOException {
    if (ref == null || ref.isEmpty()) {
      throw new InvalidArgumentException("ingest ref must not be empty");
    }
    if (total < 0) {
      throw new InvalidArgumentException("ingest \"" + ref + "\": negative total " + total);
    }
    StoreLayout layout = ctx.layout();
    Path dir = layout.ingestDir(ref);
    IngestLock lock = IngestLock.acquire(dir, ref, ctx.lockWait());
    try {
      if (expected != null && Files.exists(layout.blob(expected))) {
        // Committed by someone else while we waited, or a crash after the commit's link.
        FileOps.deleteTreeQuietly(dir);
        throw new AlreadyExistsException("content " + expected + " already exists");
      }
      LocalWriter w = resumeOrCreate(ctx, ref, lock, total, expected);
      lock = null; // owned by the writer now
      return w;
    } finally {
      if (lock != null) {
        lock.close();
      }
    }
  }

  private static LocalWriter resumeOrCreate(
      IngestContext ctx, String ref, IngestLock lock, long total, Digest expected)
      throws IOException {
    Path dir = ctx.layout().ingestDir(ref);
    String storedRef = IngestFiles.readText(dir, IngestFiles.REF);
    Instant now = ctx.clock().instant();
    boolean sound = storedRef != null && storedRef.equals(ref) && IngestFiles.isSound(dir);
    if (storedRef != null && !sound) {
      LOG.warn(
          "ingest {} in {} holds a link or a file Hoist did not write; starting it over", ref, dir);
    }
    if (sound) {
      long storedTotal = IngestFiles.readTotal(dir);
      if (total > 0 && storedTotal > 0 && total != storedTotal) {
        throw new FailedPreconditionException(
            "ingest \""
                + ref
                + "\": provided total "
                + total
                + " differs from the recorded total "
                + storedTotal
                + "; abort the ingest to restart it");
      }
      Digest storedExpected = IngestFiles.readExpected(dir);
      if (expected != null && !expected.equals(storedExpected)) {
        IngestFiles.writeText(dir, IngestFiles.EXPECTED, expected.toString());
      }
      Instant started = IngestFiles.readTime(dir, IngestFiles.STARTED_AT);
      LocalWriter w =
          new LocalWriter(
              ctx,
              ref,
              lock,
              total > 0 ? total : storedTotal,
              expected != null ? expected : storedExpected,
              started != null ? started : now);
      w.openData(true);
      LOG.debug("resuming ingest {} at offset {}", ref, w.offset);
      return w;
    }
    // New ingest (or the debris of one that crashed before its ref file was written): start
    // clean, and write the ref file last so a directory with a ref is always complete.
    try (var entries = Files.list(dir)) {
      for (Path p : (Iterable<Path>) entries::iterator) {
        if (!p.getFileName().toString().equals(IngestLock.LOCK_FILE)) {
          FileOps.deleteTree(p);
        }
      }
    }
    LocalWriter w = new LocalWriter(ctx, ref, lock, total, expected, now);
    w.openData(false);
    IngestFiles.writeTime(dir, IngestFiles.STARTED_AT, now);
    if (total > 0) {
      IngestFiles.writeText(dir, IngestFiles.TOTAL, Long.toString(total));
    }
    if (expected != null) {
      IngestFiles.writeText(dir, IngestFiles.EXPECTED, expected.toString());
    }
    IngestFiles.writeText(dir, IngestFiles.REF, ref);
    return w;
  }

  private void openData(boolean resume) throws IOException {
    Path path = dir.resolve(IngestFiles.DATA);
    // Never through a link: a new ingest's data is created fresh (the directory was emptied), a
    // resumed one was checked by IngestFiles.isSound and is opened without following a link.
    data =
        FileChannel.open(
            path,
            resume ? StandardOpenOption.CREATE : StandardOpenOption.CREATE_NEW,
            StandardOpenOption.READ,
            StandardOpenOption.WRITE,
            LinkOption.NOFOLLOW_LINKS);
    dataKey = fileKey(path);
    writeBehind = new WriteBehind(data);
    String alg = expected != null ? expected.algorithm() : Digest.SHA256;
    if (resume) {
      List<ByteRange> ranges = IngestRanges.read(dir, data.size());
      if (ranges == null) {
        rehash(alg, data.size());
      } else {
        // Only what the ranges file lists is trusted: data past it may be a torn write.
        rangesRecorded = true;
        for (ByteRange r : ranges) {
          if (r.start() > 0) {
            beyond.put(r.start(), r.end());
          }
        }
        rehash(alg, IngestRanges.prefix(ranges));
        if (beyond.isEmpty()) {
          dropUnrecorded(); // an unreadable file, or nothing beyond the prefix
        }
      }
    } else {
      data.truncate(0);
      digester = Digester.of(alg);
      offset = 0;
    }
  }

  /**
   * Rebuilds the digest state from the first {@code length} bytes on disk (containerd does too).
   */
  private void rehash(String algorithm, long length) throws IOException {
    Digester d = Digester.of(algorithm);
    ByteBuffer buf = ByteBuffer.allocate(REHASH_BUFFER);
    long pos = 0;
    while (pos < length) {
      buf.clear().limit((int) Math.min(buf.capacity(), length - pos));
      int n = data.read(buf, pos);
      if (n < 0) {
        break;
      }
      buf.flip();
      d.update(buf);
      pos += n;
    }
    digester = d;
    offset = pos;
    data.position(pos);
  }

  @Override
  public synchronized int write(ByteBuffer src) throws IOException {
    ensureWritable();
    int start = src.position();
    try {
      long at = offset;
      while (src.hasRemaining()) {
        at += data.write(src, at);
      }
    } catch (IOException e) {
      // Unknown how much reached the file: refuse further use; a new writer rehashes the data.
      broken = true;
      throw StoreErrors.orTyped(e, dir.resolve(IngestFiles.DATA));
    } catch (RuntimeException e) {
      broken = true;
      throw e;
    }
    int n = src.position() - start;
    ByteBuffer written = src.duplicate();
    written.position(start).limit(start + n);
    digester.update(written);
    offset += n;
    updatedAt = clock.instant();
    writeBehind.wrote(n);
    if (rangesRecorded) {
      absorb();
      maybeRecord(n);
    }
    return n;
  }

  @Override
  public boolean supportsWriteAt() {
    return true;
  }

  @Override
  public synchronized void writeAt(long position, ByteBuffer src) throws IOException {
    if (position < 0) {
      throw new InvalidArgumentException("ingest \"" + ref + "\": negative position " + position);
    }
    ensureWritable();
    long end = position + src.remaining();
    if (end <= offset) {
      src.position(src.limit()); // hashed already: the first write wins
      return;
    }
    if (position <= offset) {
      src.position(src.position() + (int) (offset - position));
      while (src.hasRemaining()) {
        write(src);
      }
      return;
    }
    int n = src.remaining();
    try {
      long at = position;
      while (src.hasRemaining()) {
        at += data.write(src, at);
      }
    } catch (IOException e) {
      broken = true;
      throw StoreErrors.orTyped(e, dir.resolve(IngestFiles.DATA));
    } catch (RuntimeException e) {
      broken = true;
      throw e;
    }
    addBeyond(position, end);
    updatedAt = clock.instant();
    writeBehind.wrote(n);
    rangesRecorded = true; // from now on the prefix alone no longer describes the data file
    record(); // every piece that arrived out of order: a kill then loses only what is in flight
  }

  @Override
  public synchronized List<ByteRange> present() {
    List<ByteRange> out = new ArrayList<>();
    if (offset > 0) {
      out.add(new ByteRange(0, offset));
    }
    beyond.forEach((start, end) -> out.add(new ByteRange(start, end)));
    return out;
  }

  /** Adds {@code [start, end)} to the kept ranges, merging what it overlaps or touches. */
  private void addBeyond(long start, long end) {
    var before = beyond.floorEntry(start);
    if (before != null && before.getValue() >= start) {
      start = before.getKey();
      end = Math.max(end, before.getValue());
    }
    var next = beyond.ceilingEntry(start);
    while (next != null && next.getKey() <= end) {
      end = Math.max(end, next.getValue());
      beyond.remove(next.getKey());
      next = beyond.ceilingEntry(start);
    }
    beyond.put(start, end);
  }

  /** Grows the prefix over kept ranges it reached, hashing their bytes from the file. */
  private void absorb() throws IOException {
    var first = beyond.firstEntry();
    while (first != null && first.getKey() <= offset) {
      beyond.remove(first.getKey());
      if (first.getValue() > offset) {
        hashFromFile(offset, first.getValue());
        offset = first.getValue();
      }
      first = beyond.firstEntry();
    }
  }

  private void hashFromFile(long from, long to) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate((int) Math.min(REHASH_BUFFER, to - from));
    long pos = from;
    while (pos < to) {
      buf.clear().limit((int) Math.min(buf.capacity(), to - pos));
      int n = data.read(buf, pos);
      if (n < 0) {
        broken = true;
        throw new FailedPreconditionException(
            "ingest \"" + ref + "\": data ends at byte " + pos + " inside a range it holds");
      }
      buf.flip();
      digester.update(buf);
      pos += n;
    }
  }

  private void maybeRecord(long n) throws IOException {
    unrecorded += n;
    if (unrecorded >= RECORD_EVERY_BYTES || beyond.isEmpty()) {
      record();
    }
  }

  /**
   * Goes back to a plain ingest whose prefix is the data file's length: bytes past the prefix were
   * never recorded (a killed writer's), so they go before the ranges file does.
   */
  private void dropUnrecorded() throws IOException {
    if (data.size() > offset) {
      data.truncate(offset);
    }
    IngestRanges.delete(dir);
    rangesRecorded = false;
  }

  /**
   * Brings the ranges file up to date: forces the data first, so that a listed range is on disk;
   * removes the file once the prefix holds everything (the data file's length is the prefix again).
   */
  private void record() throws IOException {
    unrecorded = 0;
    if (!rangesRecorded) {
      return;
    }
    try {
      if (beyond.isEmpty()) {
        dropUnrecorded();
        return;
      }
      data.force(false);
      IngestRanges.write(dir, present());
    } catch (IOException e) {
      throw StoreErrors.orTyped(e, dir.resolve(IngestFiles.RANGES));
    }
  }

  @Override
  public synchronized IngestStatus status() {
    return new IngestStatus(ref, offset, total, expected, startedAt, updatedAt);
  }

  @Override
  public synchronized Digest digest() {
    return digester.digest();
  }

  @Override
  public synchronized void truncate(long size) throws IOException {
    ensureWritable();
    if (size < 0 || size > offset) {
      throw new InvalidArgumentException(
          "ingest \""
              + ref
              + "\": cannot truncate to "
              + size
              + ", only 0.."
              + offset
              + " bytes written");
    }
    data.truncate(size);
    beyond.clear();
    if (rangesRecorded) {
      IngestRanges.delete(dir);
      rangesRecorded = false;
    }
    rehash(digester.algorithm(), size);
    updatedAt = clock.instant();
  }

  @Override
  public synchronized void commit(long size, Digest want, Map<String, String> labels)
      throws IOException {
    try {
      commitChecked(size, want, labels);
    } catch (IOException e) {
      throw StoreErrors.orTyped(e, dir.resolve(IngestFiles.DATA));
    }
  }

  private void commitChecked(long size, Digest want, Map<String, String> labels)
      throws IOException {
    if (closed) {
      throw new FailedPreconditionException(
          "cannot commit ingest \"" + ref + "\": writer is closed");
    }
    ensureWritable();
    if (size > 0 && size != offset) {
      throw new FailedPreconditionException(
          "commit of ingest \"" + ref + "\": unexpected size " + offset + ", expected " + size);
    }
    if (want != null && !want.algorithm().equals(digester.algorithm())) {
      rehash(want.algorithm(), offset);
    }
    Digest actual = digester.digest();
    if (want != null && !want.equals(actual)) {
      throw new DigestMismatchException(want, actual);
    }
    Path src = dir.resolve(IngestFiles.DATA);
    Path target = layout.blob(actual);
    if (dataKey == null || !dataKey.equals(fileKey(src))) {
      // Someone replaced the data file (with a link, say) while we wrote: publish nothing.
      broken = true;
      throw new FailedPreconditionException(
          "commit of ingest \""
              + ref
              + "\": "
              + src
              + " was replaced while it was written; nothing was committed");
    }
    ctx.syncer().file(data);
    data.close();
    closed = true;
    boolean published = false;
    boolean done = false;
    try {
      setPermissions(src, READ_ONLY); // read-only before it becomes visible under blobs/
      published = link(src, target);
      // The data file is gone from the ingest now; drop its ref at once so that no listing (or a
      // crash before the cleanup below) shows a committed blob as an empty ingest.
      Files.deleteIfExists(dir.resolve(IngestFiles.REF));
      if (published) {
        ctx.blobDirs().sync(target.getParent()); // shared with concurrent commits
        metadata.created(actual, clock.instant(), labels == null ? Map.of() : labels);
      }
      done = true;
    } finally {
      if (done) {
        IngestFiles.removeCommitted(dir); // the bytes are in blobs/ (ours or the racer's)
      } else if (Files.exists(src)) {
        setPermissions(src, READ_WRITE); // keep the ingest resumable after an I/O failure
      }
      lock.close();
    }
    if (!published) {
      throw new AlreadyExistsException("content " + actual + " already exists");
    }
    LOG.debug("committed ingest {} as {} ({} bytes)", ref, actual, offset);
  }

  /** Links into {@code blobs/<alg>/}, creating that directory on first use only. */
  private static boolean link(Path src, Path target) throws IOException {
    // Into a real directory of ours only: a link planted as blobs/<alg> would publish elsewhere.
    OwnFiles.requireOwnDirectory(target.getParent(), "content store directory");
    try {
      return FileOps.linkOrMoveNoReplace(src, target);
    } catch (NoSuchFileException e) {
      // Missing directory (or made just now by a concurrent first commit): make sure, then retry
      // once; a missing source fails again the same way.
      Files.createDirectories(target.getParent());
      return FileOps.linkOrMoveNoReplace(src, target);
    }
  }

  /** Closes without committing: the ingest stays on disk for a later writer to resume. */
  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (!broken) {
        record(); // what arrived out of order survives the writer
      }
      IngestFiles.writeTime(dir, IngestFiles.UPDATED_AT, updatedAt);
    } catch (IOException e) {
      throw StoreErrors.orTyped(e, dir.resolve(IngestFiles.UPDATED_AT));
    } finally {
      try {
        data.close();
      } finally {
        lock.close();
      }
    }
  }

  @Override
  public synchronized boolean isOpen() {
    return !closed;
  }

  private void ensureWritable() throws IOException {
    if (closed) {
      throw new ClosedChannelException();
    }
    if (broken) {
      throw new FailedPreconditionException(
          "ingest \""
              + ref
              + "\": an earlier write failed; close this writer and open a new one to resume");
    }
  }

  /** The identity (device and inode) of the entry itself, or null when there is none. */
  private static Object fileKey(Path p) throws IOException {
    OwnFiles.Entry e = OwnFiles.lstat(p);
    if (e == null || !e.attrs().isRegularFile()) {
      return null;
    }
    return e.attrs().fileKey() != null
        ? e.attrs().fileKey()
        : p; // no file keys here: the path must do
  }

  private static void setPermissions(Path p, Set<PosixFilePermission> perms) throws IOException {
    PosixFileAttributeView view =
        Files.getFileAttributeView(p, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
    if (view != null) {
      view.setPermissions(perms); // the file itself (opened O_NOFOLLOW), never a link's target
    } else {
      p.toFile().setWritable(perms.contains(PosixFilePermission.OWNER_WRITE));
    }
  }
}
