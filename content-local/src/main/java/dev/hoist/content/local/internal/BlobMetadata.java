package dev.hoist.content.local.internal;

import dev.hoist.content.ContentInfo;
import dev.hoist.digest.Digest;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.errors.NotFoundException;
import dev.hoist.spec.internal.Json;
import dev.hoist.spec.internal.JsonObject;
import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
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
 * <p><b>Durability.</b> Labels are metadata about blobs, not content: a process crash cannot tear a
 * labels file (the rename is atomic), but an operating-system crash may lose the latest labels or
 * leave an empty file. Such a file reads as "no labels" (logged), never as an error, and the next
 * fetch of the image sets the labels again (its distribution source and child references). Skipping
 * the two fsyncs per labels write halves the fsyncs of committing a small blob; the blob itself and
 * its directory entry stay durable when commit returns.
 */
public final class BlobMetadata {

  private static final Logger LOG = LoggerFactory.getLogger(BlobMetadata.class);

  private final StoreLayout layout;
  private final SharedFileLock lock;

  public BlobMetadata(StoreLayout layout) {
    this.layout = layout;
    this.lock = new SharedFileLock(layout.labelsLockFile());
  }

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
   * Records a newly committed blob. Without labels no file is written (the blob file's times
   * serve), which saves a file per blob; a stale file left by a crash during an earlier delete of
   * the same digest is removed.
   */
  public void created(Digest digest, Instant now, Map<String, String> labels) throws IOException {
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
                } else {
                  write(digest, new Record(now, now, clean));
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
