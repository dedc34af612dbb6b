package dev.hoist.content.local.internal;

import dev.hoist.content.ByteRange;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Every change to one ingest's {@link IngestRanges ranges} file, in one place: the foreground
 * writes and removals of its writer, the background records of the durable ranges (after a data
 * fsync) and the background records of the written ones (no fsync at all).
 *
 * <p>A written record replaces the file, which costs about half a millisecond on ext4, far more
 * than a piece's write: so writers only hand over a snapshot of what they hold and one background
 * task per ingest records the latest snapshot, then (at least {@link #MIN_INTERVAL_NANOS} later)
 * the one that arrived meanwhile, and so on. A kill loses at most what was written since the record
 * in progress started.
 *
 * <p>Each foreground change starts a new generation; a record made for an older one is dropped, so
 * a removed file never comes back and nothing is written after a commit or close.
 */
final class RangesRecorder {

  /**
   * The least time between two written records of one ingest: replaces cost about half a
   * millisecond each, and back to back they slowed a 512 MiB out-of-order write by a third. A kill
   * loses at most what arrived in this time plus one replace.
   */
  static final long MIN_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

  private record Snapshot(long generation, List<ByteRange> written, List<ByteRange> durable) {}

  private final Path dir;
  private final Object fileLock = new Object();
  private volatile long generation;
  private final AtomicReference<Snapshot> pending = new AtomicReference<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();

  RangesRecorder(Path dir) {
    this.dir = dir;
  }

  /** The current generation, for a background record to be checked against. */
  long generation() {
    return generation;
  }

  /** Replaces the file now, as a new generation. */
  void write(List<ByteRange> written, List<ByteRange> durable) throws IOException {
    synchronized (fileLock) {
      generation++;
      IngestRanges.write(dir, IngestRanges.BOOT_ID, written, durable);
    }
  }

  /** Removes the file, as a new generation. */
  void delete() throws IOException {
    synchronized (fileLock) {
      generation++;
      IngestRanges.delete(dir);
    }
  }

  /** Starts a new generation: once this returns, no record of an older one is written. */
  void invalidate() {
    synchronized (fileLock) {
      generation++;
    }
  }

  /** Replaces the file unless a foreground change came after generation {@code gen}. */
  void writeIfCurrent(long gen, List<ByteRange> written, List<ByteRange> durable)
      throws IOException {
    synchronized (fileLock) {
      if (gen == generation) {
        IngestRanges.write(dir, IngestRanges.BOOT_ID, written, durable);
      }
    }
  }

  /**
   * Has {@code written} recorded in the background, without any fsync (it is what a killed process
   * leaves in the page cache). Without a boot id there is nothing to record that a durable record
   * would not. The caller holds the writer's lock, so snapshots are handed over in order.
   */
  void writeSoon(List<ByteRange> written, List<ByteRange> durable) {
    if (IngestRanges.BOOT_ID == null) {
      return;
    }
    pending.set(new Snapshot(generation, written, durable));
    if (scheduled.compareAndSet(false, true)) {
      IngestRanges.RECORDERS.execute(this::recordPending);
    }
  }

  private void recordPending() {
    long last = 0;
    boolean recorded = false;
    while (true) {
      if (recorded) {
        long wait = last + MIN_INTERVAL_NANOS - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait); // let snapshots pile up: only the latest is written
        }
      }
      Snapshot s = pending.getAndSet(null);
      if (s == null) {
        scheduled.set(false);
        // A snapshot handed over between the poll and the flag: take it, unless a new task did.
        if (pending.get() == null || !scheduled.compareAndSet(false, true)) {
          return;
        }
        continue;
      }
      last = System.nanoTime();
      recorded = true;
      try {
        writeIfCurrent(s.generation(), s.written(), s.durable());
      } catch (IOException | RuntimeException e) {
        // The next record, the writer's close or its commit reports a lasting problem; this one
        // only costs a kill the bytes it would have listed.
      }
    }
  }
}
