package dev.hoist.content.local.internal;

import dev.hoist.content.IngestStatus;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.errors.NotFoundException;
import dev.hoist.errors.UnavailableException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The ingest directories of a store, as a whole: listing, status, abort and removal of stale or
 * leftover ingests. Writing one is {@link LocalWriter}'s.
 */
public final class IngestDirs {

  private final StoreLayout layout;

  public IngestDirs(StoreLayout layout) {
    this.layout = layout;
  }

  /** Every ingest on disk, by ref. */
  public List<IngestStatus> list() throws IOException {
    List<IngestStatus> out = new ArrayList<>();
    if (!Files.isDirectory(layout.ingestRoot())) {
      return out; // an OCI layout made by another tool, opened read-only
    }
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(layout.ingestRoot())) {
      for (Path dir : dirs) {
        IngestStatus s =
            Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) ? IngestFiles.read(dir) : null;
        if (s != null) {
          out.add(s);
        }
      }
    }
    out.sort(Comparator.comparing(IngestStatus::ref));
    return out;
  }

  /** The ingest {@code ref}, as found on disk. */
  public IngestStatus status(String ref) throws IOException {
    IngestStatus s = IngestFiles.read(ingestDir(ref));
    if (s == null || !s.ref().equals(ref)) {
      throw new NotFoundException("no ingest for ref \"" + ref + "\"");
    }
    return s;
  }

  /**
   * Discards an ingest.
   *
   * @throws UnavailableException when a writer holds the ref
   */
  public void abort(String ref) throws IOException {
    Path dir = ingestDir(ref);
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      if (Files.isDirectory(layout.ingestRoot(), LinkOption.NOFOLLOW_LINKS)) {
        try (RefSlots.Slot slot = RefSlots.tryAcquire(dir)) {
          if (slot == null) { // a small blob's writer, in memory, maybe in another process
            throw new UnavailableException("ingest ref \"" + ref + "\" is held by a writer");
          }
        }
      }
      throw new NotFoundException("no ingest for ref \"" + ref + "\"");
    }
    try (IngestLock lock = IngestLock.tryAcquire(dir)) {
      if (lock == null) {
        throw new UnavailableException("ingest ref \"" + ref + "\" is held by a writer");
      }
      discard(dir);
    }
  }

  /**
   * A process that died between publishing a blob and removing its ingest leaves the ingest behind;
   * it is useless once the blob exists, so it goes (unless a writer holds it).
   */
  public void discardLeftover(String ref) throws IOException {
    Path dir = ingestDir(ref);
    if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      try (IngestLock lock = IngestLock.tryAcquire(dir)) {
        if (lock != null) {
          discard(dir);
        }
      }
    }
  }

  /**
   * Removes an ingest: its ref file first, so it stops being listed even if cleanup is cut short.
   */
  private static void discard(Path dir) throws IOException {
    Files.deleteIfExists(dir.resolve(IngestFiles.REF));
    FileOps.deleteTreeQuietly(dir);
  }

  /** Removes the ingests last updated before {@code cutoff} that no writer holds. */
  public List<String> removeOlderThan(Instant cutoff) throws IOException {
    List<String> removed = new ArrayList<>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(layout.ingestRoot())) {
      for (Path dir : dirs) {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
          removeStaleTemporary(dir, cutoff);
          continue;
        }
        try (IngestLock lock = IngestLock.tryAcquire(dir)) {
          if (lock == null) {
            continue;
          }
          IngestStatus s = IngestFiles.read(dir);
          Instant updated = s == null ? null : s.updatedAt();
          if (updated == null || updated.isBefore(cutoff)) {
            discard(dir);
            if (s != null) {
              removed.add(s.ref());
            }
          }
        }
      }
    }
    return removed;
  }

  /**
   * Removes a small blob's temporary ({@code <hash>.tmp}) last modified before {@code cutoff},
   * under its ref's slot: what a process killed during a small commit leaves.
   */
  private static void removeStaleTemporary(Path p, Instant cutoff) throws IOException {
    String name = p.getFileName().toString();
    if (!name.endsWith(SmallBlobFiles.SUFFIX)) {
      return;
    }
    OwnFiles.Entry e = OwnFiles.lstat(p);
    if (e == null || e.attrs().lastModifiedTime().toInstant().isAfter(cutoff)) {
      return;
    }
    Path dir = p.resolveSibling(name.substring(0, name.length() - SmallBlobFiles.SUFFIX.length()));
    try (RefSlots.Slot slot = RefSlots.tryAcquire(dir)) {
      if (slot != null) {
        Files.deleteIfExists(p); // the entry itself, never a link's target
      }
    }
  }

  private Path ingestDir(String ref) {
    if (ref == null || ref.isEmpty()) {
      throw new InvalidArgumentException("ingest ref must not be empty");
    }
    return layout.ingestDir(ref);
  }
}
