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
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A writer for a small blob of known size and digest that keeps the bytes in memory and, on commit,
 * writes them to one file that becomes the blob ({@link SmallBlobFiles}): two new inodes per blob
 * (the blob and its labels) where an ingest directory costs eight. It holds the ref's {@link
 * RefSlots slot} from open to close or commit, so it excludes other writers of the ref as an ingest
 * directory's lock does.
 *
 * <p>Whatever would need the ingest directory hands the bytes over to a {@link LocalWriter} on one
 * (which then serves every later call): closing without commit (so the next writer resumes them), a
 * write at an offset beyond the bytes held, or more bytes than the descriptor's size. A process
 * killed while it writes leaves nothing, and the next writer starts from zero (at most the
 * threshold's worth of bytes is fetched again).
 */
public final class SmallBlobWriter implements ContentWriter {

  private static final Logger LOG = LoggerFactory.getLogger(SmallBlobWriter.class);

  private final IngestContext ctx;
  private final SmallIngests registry;
  private final String ref;
  private final Digest expected;
  private final Instant startedAt;
  private final byte[] buf;
  private RefSlots.Slot slot;
  private Digester digester;
  private int offset;
  private Instant updatedAt;
  private boolean closed;

  /** Once set, every call goes to it: the bytes are on disk in an ingest directory. */
  private LocalWriter disk;

  SmallBlobWriter(
      IngestContext ctx,
      SmallIngests registry,
      String ref,
      RefSlots.Slot slot,
      int total,
      Digest expected) {
    this.ctx = ctx;
    this.registry = registry;
    this.ref = ref;
    this.slot = slot;
    this.expected = expected;
    this.buf = new byte[total];
    this.digester = Digester.of(expected.algorithm());
    this.startedAt = ctx.clock().instant();
    this.updatedAt = startedAt;
  }

  @Override
  public synchronized int write(ByteBuffer src) throws IOException {
    if (disk != null) {
      return disk.write(src);
    }
    ensureOpen();
    int n = src.remaining();
    if (n > buf.length - offset) {
      return toDisk().write(src); // more than the descriptor said: the ingest's rules apply
    }
    ByteBuffer written = src.duplicate();
    src.get(buf, offset, n);
    digester.update(written);
    offset += n;
    updatedAt = ctx.clock().instant();
    return n;
  }

  @Override
  public boolean supportsWriteAt() {
    return true;
  }

  @Override
  public synchronized void writeAt(long position, ByteBuffer src) throws IOException {
    if (disk != null) {
      disk.writeAt(position, src);
      return;
    }
    if (position < 0) {
      throw new InvalidArgumentException("ingest \"" + ref + "\": negative position " + position);
    }
    ensureOpen();
    long end = position + src.remaining();
    if (end <= offset) {
      src.position(src.limit()); // hashed already: the first write wins
      return;
    }
    if (position > offset) {
      toDisk().writeAt(position, src); // bytes out of order are kept by the ingest directory
      return;
    }
    src.position(src.position() + (int) (offset - position));
    while (src.hasRemaining()) {
      write(src);
    }
  }

  @Override
  public synchronized List<ByteRange> present() throws IOException {
    if (disk != null) {
      return disk.present();
    }
    return offset > 0 ? List.of(new ByteRange(0, offset)) : List.of();
  }

  @Override
  public synchronized IngestStatus status() {
    if (disk != null) {
      return disk.status();
    }
    return new IngestStatus(ref, offset, buf.length, expected, startedAt, updatedAt);
  }

  @Override
  public synchronized Digest digest() {
    return disk != null ? disk.digest() : digester.digest();
  }

  @Override
  public synchronized void truncate(long size) throws IOException {
    if (disk != null) {
      disk.truncate(size);
      return;
    }
    ensureOpen();
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
    offset = (int) size;
    digester = Digester.of(digester.algorithm());
    digester.update(ByteBuffer.wrap(buf, 0, offset));
    updatedAt = ctx.clock().instant();
  }

  @Override
  public synchronized void commit(long size, Digest want, Map<String, String> labels)
      throws IOException {
    if (disk != null) {
      try {
        disk.commit(size, want, labels);
      } finally {
        if (!disk.isOpen()) {
          registry.remove(ref, this);
        }
      }
      return;
    }
    if (closed) {
      throw new FailedPreconditionException(
          "cannot commit ingest \"" + ref + "\": writer is closed");
    }
    if (size > 0 && size != offset) {
      throw new FailedPreconditionException(
          "commit of ingest \"" + ref + "\": unexpected size " + offset + ", expected " + size);
    }
    Digest actual = digester.digest();
    if (want != null && !want.algorithm().equals(actual.algorithm())) {
      Digester d = Digester.of(want.algorithm());
      d.update(ByteBuffer.wrap(buf, 0, offset));
      actual = d.digest();
    }
    if (want != null && !want.equals(actual)) {
      throw new DigestMismatchException(want, actual); // the bytes stay, as an ingest's do
    }
    boolean published;
    try {
      published =
          SmallBlobFiles.publish(
              ctx, ctx.layout().ingestDir(ref), actual, ByteBuffer.wrap(buf, 0, offset));
    } catch (IOException e) {
      // Nothing was published: the writer keeps its bytes (a close moves them to disk).
      throw StoreErrors.orTyped(e, ctx.layout().blob(actual));
    }
    try {
      if (published) {
        ctx.metadata().created(actual, ctx.clock().instant(), labels == null ? Map.of() : labels);
      }
    } catch (IOException e) {
      throw StoreErrors.orTyped(e, ctx.layout().labels(actual));
    } finally {
      // Committed (by us or, for AlreadyExists, by someone else): nothing is left to resume.
      release();
    }
    if (!published) {
      throw new AlreadyExistsException("content " + actual + " already exists");
    }
    LOG.debug("committed small ingest {} as {} ({} bytes)", ref, actual, offset);
  }

  /**
   * Closes without committing: the bytes written go to an ingest directory, as a closed writer's
   * always do, so that a later writer resumes them and every store instance and process lists the
   * ingest. (Rare on the fetch path: only a failed or cancelled fetch closes without commit.)
   */
  @Override
  public synchronized void close() throws IOException {
    if (disk != null) {
      try {
        disk.close();
      } finally {
        registry.remove(ref, this);
      }
      return;
    }
    if (closed) {
      return;
    }
    // A cancelled fetch closes its writer with the interrupt flag set, which would close the file
    // channels below instead of writing: the flag is set aside while the bytes are kept.
    boolean interrupted = Thread.interrupted();
    try {
      toDisk(); // the bytes are in the ingest directory now, as a closed writer's
      close();
    } catch (IOException | RuntimeException e) {
      release();
      throw e;
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public synchronized boolean isOpen() {
    return disk != null ? disk.isOpen() : !closed;
  }

  /**
   * Moves the bytes held to an ingest directory and returns its writer, which serves every call
   * from now on. The ref's slot goes with it.
   */
  private LocalWriter toDisk() throws IOException {
    Path dir = ctx.layout().ingestDir(ref);
    RefSlots.Slot held = slot;
    slot = null; // the ingest lock owns it now, also when taking the lock fails
    LocalWriter w;
    IngestLock lock = IngestLock.acquire(dir, ref, Duration.ZERO, held);
    try {
      w = IngestResume.resumeOrCreate(ctx, ref, lock, buf.length, expected);
      lock = null; // the writer's now
    } finally {
      if (lock != null) {
        lock.close();
      }
    }
    try {
      if (w.status().offset() != 0) {
        w.truncate(0); // an ingest made by another version meanwhile: ours are the bytes to keep
      }
      ByteBuffer bytes = ByteBuffer.wrap(buf, 0, offset);
      while (bytes.hasRemaining()) {
        w.write(bytes);
      }
    } catch (IOException | RuntimeException e) {
      w.close();
      closed = true;
      registry.remove(ref, this);
      throw e;
    }
    disk = w;
    LOG.debug("small ingest {} moved to its ingest directory at offset {}", ref, offset);
    return w;
  }

  private void release() {
    closed = true;
    registry.remove(ref, this);
    if (slot != null) {
      slot.close();
      slot = null;
    }
  }

  private void ensureOpen() throws IOException {
    if (closed) {
      throw new ClosedChannelException();
    }
  }
}
