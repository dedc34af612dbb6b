package dev.hoist.content;

import dev.hoist.errors.HoistException;
import java.io.IOException;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * {@link Blobs#copy} into a writer that {@linkplain ContentWriter#supportsWriteAt() writes at
 * offsets}: only the ranges the ingest lacks are asked for, by the source in parallel when it can
 * ({@link BlobSource#fillGaps}), else one gap after the other through {@link BlobSource#open}.
 */
final class PositionalCopy {

  private PositionalCopy() {}

  static void fill(ContentWriter w, BlobSource src, long size, String what, LongConsumer progress) {
    List<ByteRange> gaps;
    try {
      List<ByteRange> present = w.present();
      if (!present.isEmpty() && present.get(present.size() - 1).end() > size) {
        // More than the blob holds: the kept bytes cannot be right, start over.
        w.truncate(0);
        present = List.of();
      }
      gaps = ByteRange.gaps(present, size);
    } catch (IOException e) {
      throw Blobs.local("copy " + what, e);
    }
    if (gaps.isEmpty()) {
      return;
    }
    // The source may report from several threads; listeners are written for one caller at a time.
    Object lock = new Object();
    LongConsumer serial =
        n -> {
          synchronized (lock) {
            progress.accept(n);
          }
        };
    boolean filled;
    try {
      filled = src.fillGaps(w, gaps, serial);
    } catch (HoistException e) {
      throw e;
    } catch (IOException e) {
      throw Blobs.remote("fetch " + what, e);
    }
    if (!filled) {
      for (ByteRange gap : gaps) {
        Blobs.transfer(w, src, gap.start(), gap.end(), true, what, serial);
      }
    }
  }
}
