package dev.hoist.content;

import dev.hoist.digest.Digest;
import dev.hoist.digest.Digester;
import dev.hoist.errors.DigestMismatchException;
import dev.hoist.errors.FailedPreconditionException;
import dev.hoist.errors.InvalidArgumentException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.Map;

/** The writer of {@link InMemoryContentStore}. Single-threaded, as every {@link ContentWriter}. */
final class InMemoryWriter implements ContentWriter {

  private final InMemoryContentStore store;
  private final MemoryIngest ingest;
  private final String algorithm;
  private final byte[] chunk = new byte[64 * 1024];
  private Digester digester;
  private boolean closed;

  InMemoryWriter(InMemoryContentStore store, MemoryIngest ingest, String algorithm) {
    this.store = store;
    this.ingest = ingest;
    this.algorithm = algorithm;
    // Resume: rehash the kept bytes, as containerd's local store does when it reopens an ingest.
    this.digester = rehash(algorithm, ingest.array(), ingest.length());
  }

  @Override
  public int write(ByteBuffer src) throws ClosedChannelException {
    int n = src.remaining();
    synchronized (store.lock()) {
      ensureWritable();
      while (src.hasRemaining()) {
        int len = Math.min(chunk.length, src.remaining());
        src.get(chunk, 0, len);
        ingest.append(chunk, 0, len);
        digester.update(chunk, 0, len);
      }
      ingest.updatedAt = store.now();
    }
    return n;
  }

  @Override
  public IngestStatus status() {
    synchronized (store.lock()) {
      return ingest.status();
    }
  }

  @Override
  public Digest digest() {
    return digester.digest();
  }

  @Override
  public void truncate(long size) throws ClosedChannelException {
    synchronized (store.lock()) {
      ensureWritable();
      if (size < 0 || size > ingest.length()) {
        throw new InvalidArgumentException(
            "truncate " + ingest.ref + ": size " + size + " outside 0.." + ingest.length());
      }
      ingest.truncate((int) size);
      digester = rehash(algorithm, ingest.array(), ingest.length());
      ingest.updatedAt = store.now();
    }
  }

  @Override
  public void commit(long size, Digest expected, Map<String, String> labels) {
    synchronized (store.lock()) {
      if (closed) {
        throw new FailedPreconditionException("commit " + ingest.ref + ": writer is closed");
      }
      ensureLive();
      long actualSize = ingest.length();
      if (size > 0 && size != actualSize) {
        throw new FailedPreconditionException(
            "commit " + ingest.ref + ": unexpected size " + actualSize + ", expected " + size);
      }
      Digest actual =
          expected == null || expected.algorithm().equals(algorithm)
              ? digester.digest()
              : rehash(expected.algorithm(), ingest.array(), ingest.length()).digest();
      if (expected != null && !expected.equals(actual)) {
        throw new DigestMismatchException(expected, actual);
      }
      // From here the writer is done whatever happens: a blob committed meanwhile by someone
      // else makes ours redundant, and the ingest is dropped either way.
      closed = true;
      store.publish(ingest, actual, labels == null ? Map.of() : labels);
    }
  }

  @Override
  public boolean isOpen() {
    synchronized (store.lock()) {
      return !closed;
    }
  }

  /** Releases the ref; the bytes stay for a later writer to resume from. */
  @Override
  public void close() {
    synchronized (store.lock()) {
      if (!closed) {
        closed = true;
        store.release(ingest);
      }
    }
  }

  private void ensureWritable() throws ClosedChannelException {
    if (closed) {
      throw new ClosedChannelException();
    }
    ensureLive();
  }

  private void ensureLive() {
    if (!store.isLive(ingest)) {
      throw new FailedPreconditionException(
          "ingest " + ingest.ref + ": aborted while its writer was open");
    }
  }

  private static Digester rehash(String algorithm, byte[] data, int length) {
    Digester d = Digester.of(algorithm);
    d.update(data, 0, length);
    return d;
  }
}
