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
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A writer on {@code ingest/<hash>/data}. It holds the ingest lock from open to close or commit.
 * Bytes go straight from the caller's buffer to the file channel and are hashed from a duplicate of
 * the same buffer once written, so there is one pass and no copy of our own.
 *
 * <p>Bytes written {@linkplain #writeAt at an offset} beyond the contiguous prefix are kept in the
 * data file and listed in the ingest's {@link IngestRanges ranges} file as soon as they are written
 * (a killed process leaves them in the page cache), and again as durable once a background fsync
 * covered them (what survives a reboot); the prefix (what is hashed, and the status offset) grows
 * over them by reading them back when it reaches them, so the digest still covers the blob in
 * order.
 */
public final class LocalWriter implements ContentWriter {

  private static final Logger LOG = LoggerFactory.getLogger(LocalWriter.class);
  private static final int REHASH_BUFFER = 1 << 20;

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

  /** Ranges held beyond the prefix, each starting after it. */
  private final KeptRanges beyond = new KeptRanges();

  /** The ranges last known to be on disk (a completed data fsync covered them). */
  private List<ByteRange> durable = List.of();

  /** Whether a ranges file exists (it must be kept current or removed). */
  private boolean rangesRecorded;

  /** Bytes written since the last snapshot of the ranges was taken for the ranges file. */
  private long unrecorded;

  /** Whether a background record is queued or running (at most one per writer). */
  private boolean recording;

  /** Every change to the ranges file goes through it. */
  private final RangesRecorder recorder;

  private boolean closed;
  private boolean broken;

  LocalWriter(
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
    this.recorder = new RangesRecorder(dir);
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
    return open(ctx, ref, total, expected, null);
  }

  /**
   * As {@link #open(IngestContext, String, long, Digest)}, for a caller that holds the ref's {@link
   * RefSlots slot} already (null: none); the writer takes it over, and releases it when opening
   * fails.
   */
  static LocalWriter open(
      IngestContext ctx, String ref, long total, Digest expected, RefSlots.Slot held)
      throws IOException {
    if (ref == null || ref.isEmpty() || total < 0) {
      if (held != null) {
        held.close();
      }
      checkArguments(ref, total);
    }
    StoreLayout layout = ctx.layout();
    Path dir = layout.ingestDir(ref);
    IngestLock lock = IngestLock.acquire(dir, ref, ctx.lockWait(), held);
    try {
      if (expected != null && Files.exists(layout.blob(expected))) {
        // Committed by someone else while we waited, or a crash after the commit's link.
        FileOps.deleteTreeQuietly(dir);
        throw new AlreadyExistsException("content " + expected + " already exists");
      }
      LocalWriter w = IngestResume.resumeOrCreate(ctx, ref, lock, total, expected);
      lock = null; // owned by the writer now
      return w;
    } finally {
      if (lock != null) {
        lock.close();
      }
    }
  }

  /**
   * Refuses an empty ref or a negative total.
   *
   * @throws InvalidArgumentException naming the ref
   */
  public static void checkArguments(String ref, long total) {
    if (ref == null || ref.isEmpty()) {
      throw new InvalidArgumentException("ingest ref must not be empty");
    }
    if (total < 0) {
      throw new InvalidArgumentException("ingest \"" + ref + "\": negative total " + total);
    }
  }

  void openData(boolean resume) throws IOException {
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
    dataKey = PublishFiles.fileKey(path);
    writeBehind = new WriteBehind(data);
    String alg = expected != null ? expected.algorithm() : Digest.SHA256;
    if (resume) {
      IngestRanges.sweepLeftovers(dir);
      IngestRanges.Loaded loaded = IngestRanges.read(dir, data.size());
      if (loaded == null) {
        rehash(alg, data.size());
      } else {
        // Only what the ranges file lists is trusted: data past it may be a torn write.
        List<ByteRange> ranges = loaded.trusted();
        durable = loaded.durable();
        rangesRecorded = true;
        for (ByteRange r : ranges) {
          if (r.start() > 0) {
            beyond.add(r.start(), r.end());
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
      if (beyond.isEmpty()) {
        dropUnrecorded();
      } else {
        recordWritten();
        recordSoon(n);
      }
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
    if (!rangesRecorded) {
      // Before the first byte beyond the prefix reaches the file: a kill right after that write
      // must not leave a data file whose length (holes included) passes for the prefix.
      try {
        List<ByteRange> prefix = present();
        recorder.write(prefix, prefix);
      } catch (IOException e) {
        throw StoreErrors.orTyped(e, dir.resolve(IngestFiles.RANGES));
      }
      rangesRecorded = true;
    }
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
    beyond.add(position, end);
    updatedAt = clock.instant();
    writeBehind.wrote(n);
    recordWritten();
    recordSoon(n);
  }

  @Override
  public synchronized List<ByteRange> present() {
    return beyond.withPrefix(offset);
  }

  /** Grows the prefix over kept ranges it reached, hashing their bytes from the file. */
  private void absorb() throws IOException {
    for (ByteRange r = beyond.pollReached(offset); r != null; r = beyond.pollReached(offset)) {
      if (r.end() > offset) {
        hashFromFile(offset, r.end());
        offset = r.end();
      }
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

  /**
   * Goes back to a plain ingest whose prefix is the data file's length: bytes past the prefix were
   * never recorded (a killed writer's), so they go before the ranges file does.
   */
  private void dropUnrecorded() throws IOException {
    recorder.invalidate(); // a background record in flight must not bring the file back
    if (data.size() > offset) {
      data.truncate(offset);
    }
    recorder.delete();
    rangesRecorded = false;
    durable = List.of();
    unrecorded = 0;
  }

  /**
   * Has what was just written listed in the ranges file at once, in the background and without
   * waiting for the data to reach the disk: a process killed after that keeps these bytes (they are
   * in the page cache), and a reboot falls back to the durable ranges.
   */
  private void recordWritten() {
    recorder.writeSoon(present(), durable);
  }

  /**
   * Has the ranges file brought up to date in the background ({@link IngestRanges#RECORDERS}), one
   * record at a time per writer, so that writers never wait for the data fsync a record needs;
   * bytes that arrive during a record are picked up by the next round.
   */
  private void recordSoon(long n) {
    unrecorded += n;
    if (!recording) {
      recording = true;
      IngestRanges.RECORDERS.execute(this::recordInBackground);
    }
  }

  private void recordInBackground() {
    while (true) {
      List<ByteRange> snapshot;
      long gen;
      synchronized (this) {
        if (closed || broken || !rangesRecorded || unrecorded == 0 || beyond.isEmpty()) {
          recording = false;
          return;
        }
        snapshot = beyond.withPrefix(offset);
        gen = recorder.generation();
        unrecorded = 0;
      }
      try {
        data.force(false); // every byte of the snapshot was written before this call
        synchronized (this) {
          if (gen == recorder.generation() && !closed) {
            durable = snapshot;
            recorder.writeIfCurrent(gen, present(), durable);
          }
        }
      } catch (IOException | RuntimeException e) {
        // Closed meanwhile, or a disk error that the next write, close or commit reports.
        synchronized (this) {
          recording = false;
        }
        return;
      }
    }
  }

  /**
   * Brings the ranges file up to date: forces the data first, so that a listed range is on disk;
   * removes the file once the prefix holds everything (the data file's length is the prefix again).
   */
  private void record() throws IOException {
    recorder.invalidate();
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
      durable = present();
      recorder.write(durable, durable);
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
    durable = List.of();
    if (rangesRecorded) {
      recorder.delete();
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
    if (dataKey == null || !dataKey.equals(PublishFiles.fileKey(src))) {
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
    recorder.invalidate(); // no background record may write into the directory removed below
    data.close();
    closed = true;
    boolean published = false;
    boolean done = false;
    try {
      PublishFiles.setPermissions(
          src, PublishFiles.READ_ONLY); // read-only before it becomes visible under blobs/
      published = PublishFiles.link(src, target);
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
        PublishFiles.setPermissions(
            src, PublishFiles.READ_WRITE); // keep the ingest resumable after an I/O failure
      }
      lock.close();
    }
    if (!published) {
      throw new AlreadyExistsException("content " + actual + " already exists");
    }
    LOG.debug("committed ingest {} as {} ({} bytes)", ref, actual, offset);
  }

  /** Closes without committing: the ingest stays on disk for a later writer to resume. */
  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      recorder.invalidate(); // nothing recorded in the background after this writer
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
}
