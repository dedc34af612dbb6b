package dev.hoist.content.local.internal;

import dev.hoist.digest.Digest;
import dev.hoist.errors.FailedPreconditionException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opening a {@link LocalWriter} on its ingest directory, under the ingest lock: resume what a sound
 * ingest holds, or start a new one clean (the {@code ref} file last, so that a directory with a ref
 * is always complete).
 */
final class IngestResume {

  private static final Logger LOG = LoggerFactory.getLogger(LocalWriter.class);

  private IngestResume() {}

  static LocalWriter resumeOrCreate(
      IngestContext ctx, String ref, IngestLock lock, long total, Digest expected)
      throws IOException {
    Path dir = ctx.layout().ingestDir(ref);
    String storedRef = IngestFiles.readText(dir, IngestFiles.REF);
    Instant now = ctx.clock().instant();
    boolean sound = storedRef != null && storedRef.equals(ref) && IngestFiles.isSound(dir);
    if (storedRef != null && !sound) {
      LOG.warn(
          "ingest {} in {} holds a link or a file Hoist did not write; starting it over", ref, dir);
    }
    if (sound) {
      long storedTotal = IngestFiles.readTotal(dir);
      if (total > 0 && storedTotal > 0 && total != storedTotal) {
        throw new FailedPreconditionException(
            "ingest \""
                + ref
                + "\": provided total "
                + total
                + " differs from the recorded total "
                + storedTotal
                + "; abort the ingest to restart it");
      }
      Digest storedExpected = IngestFiles.readExpected(dir);
      if (expected != null && !expected.equals(storedExpected)) {
        IngestFiles.writeText(dir, IngestFiles.EXPECTED, expected.toString());
      }
      Instant started = IngestFiles.readTime(dir, IngestFiles.STARTED_AT);
      LocalWriter w =
          new LocalWriter(
              ctx,
              ref,
              lock,
              total > 0 ? total : storedTotal,
              expected != null ? expected : storedExpected,
              started != null ? started : now);
      w.openData(true);
      LOG.debug("resuming ingest {} at offset {}", ref, w.status().offset());
      return w;
    }
    // New ingest (or the debris of one that crashed before its ref file was written): start
    // clean, and write the ref file last so a directory with a ref is always complete.
    // A directory stream, not Files.list: no stream pipeline to link on a fresh JVM's first ingest.
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path p : entries) {
        if (!p.getFileName().toString().equals(IngestLock.LOCK_FILE)) {
          FileOps.deleteTree(p);
        }
      }
    }
    LocalWriter w = new LocalWriter(ctx, ref, lock, total, expected, now);
    w.openData(false);
    IngestFiles.writeTime(dir, IngestFiles.STARTED_AT, now);
    if (total > 0) {
      IngestFiles.writeText(dir, IngestFiles.TOTAL, Long.toString(total));
    }
    if (expected != null) {
      IngestFiles.writeText(dir, IngestFiles.EXPECTED, expected.toString());
    }
    IngestFiles.writeText(dir, IngestFiles.REF, ref);
    return w;
  }
}
