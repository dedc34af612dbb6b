package dev.hoist.content.local.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * How the store makes a file's bytes and a directory's entries durable. Every fsync the store
 * issues goes through one of these, so that tests can count syncs and hold one in flight.
 */
public interface Syncer {

  /** The operating system's syncs: {@code fdatasync} for files, {@code fsync} for directories. */
  Syncer SYSTEM =
      new Syncer() {
        @Override
        public void file(FileChannel file) throws IOException {
          // fdatasync: the bytes and the metadata needed to read them back (the size); a lost
          // modification time is not worth a second journal write per blob.
          file.force(false);
        }

        @Override
        public void directory(Path dir) throws IOException {
          FileOps.fsyncDirectory(dir);
        }

        @Override
        public String toString() {
          return "Syncer.SYSTEM";
        }
      };

  /** Flushes {@code file}'s bytes (and its size) to disk. */
  void file(FileChannel file) throws IOException;

  /** Flushes {@code dir}'s entries (a new link or a rename) to disk. */
  void directory(Path dir) throws IOException;
}
