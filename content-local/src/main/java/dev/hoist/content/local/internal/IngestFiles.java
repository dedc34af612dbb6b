package dev.hoist.content.local.internal;

import dev.hoist.content.IngestStatus;
import dev.hoist.digest.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The small files of one ingest directory, as containerd keeps them: {@code ref} (the ref text),
 * {@code data}, {@code startedat} and {@code updatedat} (RFC 3339 text written atomically), and
 * {@code total} (decimal, only when known), and {@link IngestRanges ranges} while bytes beyond the
 * contiguous prefix are held. Hoist adds {@code expected} (the expected digest, so {@link
 * IngestStatus#expected()} survives a restart); containerd ignores unknown files. {@code updatedat}
 * is written when a writer closes without committing; until then the data file's modification time
 * is the update time (it moves with every write, which a file written at open would not).
 */
public final class IngestFiles {

  public static final String REF = "ref";
  public static final String DATA = "data";
  public static final String STARTED_AT = "startedat";
  public static final String UPDATED_AT = "updatedat";
  public static final String TOTAL = "total";
  public static final String EXPECTED = "expected";
  public static final String RANGES = "ranges";

  /** The most read of a bookkeeping file: refs, times and digests are far shorter. */
  static final int MAX_TEXT = 64 << 10;

  private IngestFiles() {}

  /**
   * Writes one bookkeeping file in place, without fsync or temp file. Each is a few dozen bytes
   * written by the ref's lock holder only; readers tolerate a missing, empty or unparsable file (no
   * {@code ref} reads as no ingest, a bad time as unknown), so a crash costs at most a restart of
   * that ingest, while small blobs (manifests, configs) stay cheap to write.
   */
  public static void writeText(Path dir, String name, String text) throws IOException {
    Path p = dir.resolve(name);
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    try {
      // NOFOLLOW_LINKS: a planted link in the file's place fails (ELOOP) instead of being written
      // through.
      Files.write(
          p,
          bytes,
          StandardOpenOption.CREATE,
          StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING,
          LinkOption.NOFOLLOW_LINKS);
    } catch (FileSystemException e) {
      if (!OwnFiles.removeUnlessOwnFile(p)) {
        throw e;
      }
      Files.write(
          p,
          bytes,
          StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE,
          LinkOption.NOFOLLOW_LINKS);
    }
  }

  /**
   * Whether every entry of the ingest is a sole regular file of ours (the lock file aside, which
   * {@link IngestLock} checks). An ingest holding a link, a FIFO, a directory or a hard-linked file
   * was not written by Hoist: resuming it could read, append to or truncate a file outside the
   * store, so it is reset instead.
   */
  public static boolean isSound(Path dir) throws IOException {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path p : entries) {
        if (p.getFileName().toString().equals(IngestLock.LOCK_FILE)) {
          continue;
        }
        OwnFiles.Entry e = OwnFiles.lstat(p);
        if (e != null && !e.isOwnSoleFile()) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * Removes a committed ingest's directory: its known files by name, then the directory; a
   * directory that still has entries (debris of another tool, a racing writer's new lock file)
   * falls back to {@link FileOps#deleteTreeQuietly}. One unlink per file, where a generic tree
   * delete lists the directory and stats every entry before removing it.
   */
  public static void removeCommitted(Path dir) {
    for (String name :
        List.of(REF, EXPECTED, TOTAL, STARTED_AT, UPDATED_AT, RANGES, DATA, IngestLock.LOCK_FILE)) {
      // java.io.File.delete is one remove(3) call and reports a missing file as false, not as an
      // exception; Files.deleteIfExists stats the path first.
      dir.resolve(name).toFile().delete();
    }
    if (!dir.toFile().delete() && Files.exists(dir)) {
      FileOps.deleteTreeQuietly(dir);
    }
  }

  /**
   * The file's text, or null when it does not exist or is not a regular file (a link or a FIFO
   * planted in its place is neither followed nor read). At most {@value #MAX_TEXT} bytes are read.
   */
  public static String readText(Path dir, String name) throws IOException {
    Path p = dir.resolve(name);
    try {
      BasicFileAttributes a =
          Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (!a.isRegularFile()) {
        return null;
      }
      try (InputStream in =
          Files.newInputStream(p, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
        return new String(in.readNBytes(MAX_TEXT), StandardCharsets.UTF_8);
      }
    } catch (NoSuchFileException e) {
      return null;
    } catch (FileSystemException e) {
      if (OwnFiles.lstat(p) != null && !OwnFiles.lstat(p).attrs().isRegularFile()) {
        return null; // replaced by a link between the check and the open
      }
      throw e;
    }
  }

  public static void writeTime(Path dir, String name, Instant t) throws IOException {
    writeText(dir, name, IsoInstants.format(t));
  }

  /** A timestamp file, or null when missing or unreadable (a crash before its rename). */
  public static Instant readTime(Path dir, String name) throws IOException {
    String s = readText(dir, name);
    if (s == null) {
      return null;
    }
    return parseTime(s.trim());
  }

  /**
   * RFC 3339 text: what Hoist writes (UTC, a Z) read by hand, any other offset (Go's) by java.time.
   */
  static Instant parseTime(String s) {
    try {
      Instant t = IsoInstants.parseWritten(s);
      return t != null
          ? t
          : OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeException e) {
      return null;
    }
  }

  /**
   * The status of the ingest in {@code dir} as found on disk, or null when there is none (no {@code
   * ref} file: the directory is being created or removed). The offset is the size of {@code data};
   * the update time is {@code updatedat} (written when a writer opens and closes; a killed writer
   * leaves the time it opened), or the data file's modification time without one.
   */
  public static IngestStatus read(Path dir) throws IOException {
    String ref = readText(dir, REF);
    if (ref == null) {
      return null;
    }
    Path data = dir.resolve(DATA);
    long offset = 0;
    Instant modified = null;
    try {
      BasicFileAttributes a =
          Files.readAttributes(data, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (a.isRegularFile()) { // a planted link reads as no data: the ingest will be reset
        offset = a.size();
        modified = a.lastModifiedTime().toInstant();
        IngestRanges.Loaded ranges = IngestRanges.read(dir, offset);
        if (ranges != null) {
          offset = IngestRanges.prefix(ranges.trusted()); // bytes beyond are not contiguous
        }
      }
    } catch (NoSuchFileException e) {
      // no data yet
    }
    Instant started = readTime(dir, STARTED_AT);
    Instant updated = readTime(dir, UPDATED_AT);
    if (updated == null) {
      updated = modified != null ? modified : started;
    }
    return new IngestStatus(ref, offset, readTotal(dir), readExpected(dir), started, updated);
  }

  static long readTotal(Path dir) throws IOException {
    String s = readText(dir, TOTAL);
    if (s == null) {
      return 0;
    }
    try {
      return Math.max(0, Long.parseLong(s.trim()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  static Digest readExpected(Path dir) throws IOException {
    String s = readText(dir, EXPECTED);
    return s != null && Digest.isValid(s.trim()) ? Digest.parse(s.trim()) : null;
  }
}
