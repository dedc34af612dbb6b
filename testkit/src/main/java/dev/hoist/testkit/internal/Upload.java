package dev.hoist.testkit.internal;

import dev.hoist.digest.Digest;
import dev.hoist.digest.Digester;
import dev.hoist.testkit.Blob;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A blob upload session: bytes appended in order (monolithic or chunked), hashed as they arrive,
 * held in memory or in a file under the registry's directory. Thread-safe (calls serialise).
 */
public final class Upload {

  private final String id;
  private final String repo;
  private final Path file; // null: in memory
  private final Digester digester = Digester.sha256();
  private final ByteArrayOutputStream memory;
  private final OutputStream fileOut;

  Upload(String id, String repo, Path file) throws IOException {
    this.id = id;
    this.repo = repo;
    this.file = file;
    this.memory = file == null ? new ByteArrayOutputStream() : null;
    this.fileOut = file == null ? null : Files.newOutputStream(file);
  }

  public String id() {
    return id;
  }

  public String repo() {
    return repo;
  }

  public synchronized long size() {
    return digester.count();
  }

  /** Appends everything {@code in} yields; returns the new size. */
  public synchronized long append(InputStream in) throws IOException {
    byte[] buf = new byte[1 << 18];
    for (int n; (n = in.read(buf)) >= 0; ) {
      if (memory != null) {
        if (memory.size() + (long) n > Integer.MAX_VALUE - 16) {
          throw new IOException(
              "in-memory upload past 2 GiB: build the registry with directory(Path)");
        }
        memory.write(buf, 0, n);
      } else {
        fileOut.write(buf, 0, n);
      }
      digester.update(buf, 0, n);
    }
    return digester.count();
  }

  /** The digest of the bytes so far. */
  public synchronized Digest digest() {
    return digester.digest();
  }

  /** Turns the bytes into a blob stored at {@code committed} (file mode) and ends the session. */
  synchronized Blob finish(Path committed) throws IOException {
    Digest d = digester.digest();
    if (memory == null) {
      fileOut.close();
      Files.createDirectories(committed.getParent());
      Files.move(
          file, committed, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return new FileBlob(committed, d, digester.count());
    }
    return new BytesBlob(memory.toByteArray(), d);
  }

  /** Drops the bytes. */
  synchronized void cancel() {
    if (fileOut != null) {
      try {
        fileOut.close();
        Files.deleteIfExists(file);
      } catch (IOException e) {
        // best effort: an orphaned temp file in a test directory is harmless
      }
    }
  }
}
