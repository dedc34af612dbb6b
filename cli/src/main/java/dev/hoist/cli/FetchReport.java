package dev.hoist.cli;

import dev.hoist.cli.progress.BlobRow;
import dev.hoist.cli.progress.BlobState;
import dev.hoist.cli.progress.FetchProgress;
import dev.hoist.cli.progress.Units;
import dev.hoist.images.Image;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What one fetch did, for its final line (the same words in every progress mode) and for {@code
 * --format json}.
 *
 * @param ref the image name
 * @param digest the digest of its root (index or manifest)
 * @param mediaType the root's media type
 * @param blobs blobs the fetch handled
 * @param downloaded blobs it downloaded (all or, when resumed, the rest)
 * @param present blobs that were in the store already
 * @param bytes bytes downloaded
 * @param elapsed how long the fetch took
 */
record FetchReport(
    String ref,
    String digest,
    String mediaType,
    int blobs,
    int downloaded,
    int present,
    long bytes,
    Duration elapsed) {

  /** The report of a fetch that produced {@code image}, from what {@code progress} saw. */
  static FetchReport of(Image image, FetchProgress progress) {
    int downloaded = 0;
    int present = 0;
    int blobs = 0;
    for (BlobRow r : progress.rows()) {
      blobs++;
      if (r.state() == BlobState.DONE) {
        downloaded++;
      } else if (r.state() == BlobState.EXISTS) {
        present++;
      }
    }
    return new FetchReport(
        image.name(),
        image.target().digest().toString(),
        image.target().mediaType(),
        blobs,
        downloaded,
        present,
        progress.transferred(),
        progress.elapsed());
  }

  /** Nothing was downloaded. */
  boolean upToDate() {
    return downloaded == 0;
  }

  /**
   * The summary line: {@code fetched REF DIGEST — 14 blobs: 12 downloaded (201.3 MiB in 3.2 s, 62.9
   * MiB/s), 2 already present}, or {@code fetched REF DIGEST — already up to date (14 blobs
   * present)}.
   *
   * @param dash the separator: an em dash where the terminal can show one
   */
  String line(String dash) {
    String head = "fetched " + ref + " " + digest + " " + dash + " ";
    if (upToDate()) {
      return head + "already up to date (" + plural(blobs, "blob") + " present)";
    }
    String s =
        head
            + plural(blobs, "blob")
            + ": "
            + downloaded
            + " downloaded ("
            + Units.bytes(bytes)
            + " in "
            + Units.seconds(elapsed)
            + ", "
            + Units.rate(bytes, elapsed)
            + ")";
    return present == 0 ? s : s + ", " + present + " already present";
  }

  /** The fields of {@code --format json}, in a stable order. */
  Map<String, Object> json() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("ref", ref);
    m.put("digest", digest);
    m.put("mediaType", mediaType);
    m.put("blobs", blobs);
    m.put("downloaded", downloaded);
    m.put("present", present);
    m.put("bytes", bytes);
    m.put(
        "seconds", Double.valueOf(String.format(Locale.ROOT, "%.3f", elapsed.toMillis() / 1000.0)));
    m.put("upToDate", upToDate());
    return m;
  }

  private static String plural(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
