package dev.hoist.content.local.internal;

import dev.hoist.content.ContentInfo;
import dev.hoist.digest.Digest;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.errors.NotFoundException;
import dev.hoist.spec.internal.Json;
import dev.hoist.spec.internal.JsonObject;
import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Labels and times of committed blobs, one small JSON file per labelled blob ({@code
 * labels/<alg>/<hex>.json}), replaced atomically (temporary file, then rename) but not fsynced. A
 * blob without one (committed without labels, or placed by another OCI-layout tool) has no labels
 * and the blob file's modification time as its created and updated times.
 *
 * <p><b>Shared files.</b> A newly committed blob's file holds only its labels, no times: its times
 * are the blob file's modification time, which the commit sets to the store clock's instant (the
 * system clock's is the time the bytes were written). So the blobs of one fetch, which carry the
 * same distribution-source label, have byte-identical labels files, and a commit
 * <em>hard-links</em> the file of an earlier blob with the same labels instead of writing a new
 * one: a directory entry instead of a new inode per blob, which is most of a small blob's commit
 * cost on a file system that has just freed many inodes. Labels files are never written in place
 * (every change writes a new file and renames it over the name), so a change to one blob's labels
 * never reaches another's.
 *
 * <p><b>Durability.</b> Labels are metadata about blobs, not content: a process crash cannot tear a
 * labels file (the rename is atomic), but an operating-system crash may lose the latest labels or
 * leave an empty file. Such a file reads as "no labels" (logged), never as an error, and the next
 * fetch of the image sets the labels again (its distribution source and child references). Skipping
 * the two fsyncs per labels write halves the fsyncs of committing a small blob; the blob itself and
 * its directory entry stay durable when commit returns.
 */
public final class BlobMetadata {

  private static final Logger LOG = LoggerFactory.getLogger(BlobMetadata.class);
  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

  /** How many distinct label sets keep a file to link to: a fetch has one or two. */
  private static final int SHARED_SETS = 8;

  private final StoreLayout layout;
  private final SharedFileLock lock;
  private final boolean systemClock;

  /**
   * Labels files to link new blobs' labels to, by label set; read and changed only under {@link
   * #lock}, whose JVM part every instance on the same store shares.
   */
  private final Map<Map<String, String>, SharedLabels> shared =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Map<String, String>, SharedLabels> e) {
          return size() > SHARED_SETS;
        }
      };

  /**
   * Links that failed in a row for another reason than a missing or existing name; at two (a file
   * just written cannot be linked either) this instance stops trying.
   */
  private int linkFailures;

  /**
   * @param clock the store's clock; unless it is the system clock, a new blob's modification time
   *     is set to its instant, so that its times are the clock's
   */
  public BlobMetadata(StoreLayout layout, Clock clock) {
    this.layout = layout;
    this.lock = new SharedFileLock(layout.labelsLockFile());
    this.systemClock = Clock.systemUTC().withZone(clock.getZone()).equals(clock);
  }

  /** A labels file written by this instance, and the file it was (its inode), to link to. */
  private record SharedLabels(Path path, Object fileKey) {}

  /** The on-disk record: {@code {"createdAt":…,"updatedAt":…,"labels":{…}}}. */
  record Record(String createdAt, String updatedAt, Map<String, String> labels) {
    Record {
      labels = labels == null ? Map.of() : Collections.unmodifiableSortedMap(new TreeMap<>(labels));
    }

    static Record of(JsonObject o) {
      Map<String, String> labels = o.stringMap("labels");
      if (labels != null && labels.containsValue(null)) {
        throw new InvalidArgumentException("labels: null value");
      }
      return new Record(o.string("createdAt"), o.string("updatedAt"), labels);
    }

    byte[] toJson() {
      Map<String, Object> o = new LinkedHashMap<>();
      if (createdAt != null) {
        o.put("createdAt", createdAt);
      }
      if (updatedAt != null) {
        o.put("updatedAt", updatedAt);
      }
      o.put("labels", labels); // sorted by key
      return Json.write(o);
    }

    Record(Instant created, Instant updated, Map<String, String> labels) {
      this(IsoInstants.format(created), IsoInstants.format(updated), labels);
    }

    Instant created(Instant fallback) {
      return parse(createdAt, fallback);
    }

    Instant updated(Instant fallback) {
      return parse(updatedAt, fallback);
    }

    private static Instant parse(String s, Instant fallback) {
      try {
        return s == null ? fallback : IsoInstants.parse(s);
      } catch (java.time.DateTimeException e) {
        return fallback;
      }
    }
  }

  /**
   * Records a newly committed blob: its times are the blob file's (set to {@code now} unless the
   * store's clock is the system clock), and its labels go to a file shared with earlier blobs of
   * the same labels when it can. Without labels no file is written, which saves a file per blob; a
   * stale file left by a crash during an earlier delete of the same digest is removed.
   */
  public void created(Digest digest, Instant now, Map<String, String> labels) throws IOException {
    if (!systemClock) {
      try {
        Files.getFileAttributeView(layout.blob(digest), BasicFileAttributeView.class, NOFOLLOW)
            .setTimes(FileTime.from(now), null, null);
      } catch (NoSuchFileException e) {
        return; // collected as soon as it was committed: there is nothing left to label
      }
    }
    Map<String, String> clean = new TreeMap<>();
    labels.forEach(
        (k, v) -> {
          if (v != null && !v.isEmpty()) {
            clean.put(k, v);
          }
        });
    // The blob is published already: its labels must follow even when the fetch is being
    // cancelled. An interrupt closes the lock file's channel (ClosedByInterruptException), which
    // left blobs of a failed fetch without their distribution source label; so the interrupt
    // status is set aside for this write and restored afterwards.
    boolean interrupted = Thread.interrupted();
    try {
      for (int attempt = 1; ; attempt++) {
        try {
          lock.locked(
              () -> {
                if (clean.isEmpty()) {
                  Files.deleteIfExists(layout.labels(digest));
                } else if (!linkShared(clean, layout.labels(digest))) {
                  writeShared(digest, clean);
                }
                return null;
              });
          return;
        } catch (ClosedByInterruptException e) {
          interrupted = true;
          Thread.interrupted();
          if (attempt >= 3) {
            throw e;
          }
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The info of a committed blob. */
  public ContentInfo info(Digest digest) throws IOException {
    Path blob = layout.blob(digest);
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(blob, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      throw new NotFoundException("content " + digest + " not found");
    }
    Record r = read(digest);
    Instant m = attrs.lastModifiedTime().toInstant();
    if (r == null) {
      return new ContentInfo(digest, attrs.size(), m, m, Map.of());
    }
    return new ContentInfo(digest, attrs.size(), r.created(m), r.updated(m), r.labels());
  }

  /** Merges labels (an empty value removes the label) under the labels lock. */
  public ContentInfo update(Digest digest, Map<String, String> changes, Instant now)
      throws IOException {
    return lock.locked(
        () -> {
          ContentInfo current = info(digest);
          Map<String, String> merged = new TreeMap<>(current.labels());
          changes.forEach(
              (k, v) -> {
                if (v == null || v.isEmpty()) {
                  merged.remove(k);
                } else {
                  merged.put(k, v);
                }
              });
          write(digest, new Record(current.createdAt(), now, merged));
          return current.withLabels(merged, now);
        });
  }

  /**
   * Links {@code target} to the file of an earlier blob with these labels, if this instance wrote
   * one and it is still that file (same inode: never changed, since no file is written in place).
   * Called under the lock, so no other Hoist writer replaces the file between the check and the
   * link.
   *
   * @return false when the caller must write the file instead
   */
  private boolean linkShared(Map<String, String> labels, Path target) throws IOException {
    SharedLabels s = linkFailures < 2 ? shared.get(labels) : null;
    if (s == null) {
      return false;
    }
    if (!s.fileKey().equals(fileKey(s.path()))) {
      shared.remove(labels); // deleted with its blob, or its labels changed since
      return false;
    }
    try {
      Files.createLink(target, s.path());
      linkFailures = 0;
      return true;
    } catch (FileAlreadyExistsException e) {
      return false; // a stale file of this digest: writing replaces it
    } catch (NoSuchFileException e) {
      shared.remove(labels); // the shared file went with its blob just now
      return false;
    } catch (UnsupportedOperationException | FileSystemException e) {
      // The file has as many links as the file system allows (ext4: 65,000), so a new file starts
      // for this set; or there are no hard links here, and linking to that new file fails too.
      shared.remove(labels);
      linkFailures++;
      return false;
    }
  }

  private void writeShared(Digest digest, Map<String, String> labels) throws IOException {
    write(digest, new Record((String) null, null, labels));
    if (linkFailures < 2) {
      Object key = fileKey(layout.labels(digest));
      if (key != null) {
        shared.put(Map.copyOf(labels), new SharedLabels(layout.labels(digest), key));
      }
    }
  }

  /** The file's identity (device and inode), or null when it is gone or the platform has none. */
  private static Object fileKey(Path p) throws IOException {
    try {
      return Files.readAttributes(p, BasicFileAttributes.class, NOFOLLOW).fileKey();
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  public void delete(Digest digest) throws IOException {
    Files.deleteIfExists(layout.labels(digest));
  }

  private Record read(Digest digest) throws IOException {
    Path p = layout.labels(digest);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(p);
    } catch (NoSuchFileException e) {
      return null;
    }
    try {
      JsonObject o = bytes.length == 0 ? null : JsonObject.of(Json.parseLenient(bytes), "");
      if (o != null) {
        return Record.of(o);
      }
    } catch (IOException | InvalidArgumentException e) {
      // fall through: what an operating-system crash can leave of a file that was not fsynced
    }
    LOG.warn("labels file {} is empty or not valid JSON; treating the blob as unlabelled", p);
    return null;
  }

  private void write(Digest digest, Record r) throws IOException {
    Path p = layout.labels(digest);
    byte[] bytes = r.toJson();
    try {
      FileOps.writeAtomically(p, bytes, false);
    } catch (NoSuchFileException e) {
      // labels/<alg> is made on first use (a sha512 store may never need one).
      Files.createDirectories(p.getParent());
      FileOps.writeAtomically(p, bytes, false);
    }
  }
}
