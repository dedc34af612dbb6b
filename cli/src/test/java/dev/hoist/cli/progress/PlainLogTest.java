package dev.hoist.cli.progress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hoist.digest.Digest;
import dev.hoist.errors.UnavailableException;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.MediaTypes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The plain log: a line when a blob starts and ends, with sizes, and a line now and then for long
 * downloads.
 */
class PlainLogTest {

  private final MutableClock clock = new MutableClock();
  private final List<String> log = new ArrayList<>();
  private final FetchProgress p = new FetchProgress(clock, log::add);
  private final Descriptor layer =
      Descriptor.of(MediaTypes.OCI_LAYER_GZIP, Digest.sha256("l"), 4L << 20);
  private final String key = "layer-" + layer.digest();

  @Test
  void eachBlobGetsAStartLineAndAnEndLineWithItsSizeAndNothingForWaitingOrLateEvents() {
    p.waiting(layer);
    p.downloading(layer, 0);
    p.bytesTransferred(layer, 2L << 20);
    clock.advance(Duration.ofSeconds(2));
    p.bytesTransferred(layer, 2L << 20);
    p.done(layer);
    p.waiting(layer); // late event: must not move the row back

    assertThat(log)
        .containsExactly(
            key + ": downloading 4.0 MiB", key + ": done 4.0 MiB in 2.0 s (2.0 MiB/s)");
    assertThat(p.rows())
        .singleElement()
        .satisfies(r -> assertThat(r.state()).isEqualTo(BlobState.DONE));
  }

  @Test
  void aBlobInTheStoreAlreadyAndAFailedOneSaySo() {
    Descriptor other = Descriptor.of(MediaTypes.OCI_CONFIG, Digest.sha256("c"), 1500);
    p.exists(other);
    p.downloading(layer, 0);
    p.failed(layer, new UnavailableException("registry said 503\nsecond line"));

    assertThat(log)
        .containsExactly(
            "config-" + other.digest() + ": exists 1.5 KiB",
            key + ": downloading 4.0 MiB",
            key + ": failed: registry said 503");
  }

  @Test
  void aResumedDownloadSaysWhereItResumesAndItsRateCountsOnlyNewBytes() {
    p.downloading(layer, 3L << 20);
    p.bytesTransferred(layer, 1L << 20);
    clock.advance(Duration.ofSeconds(1));
    p.done(layer);

    assertThat(log)
        .containsExactly(
            key + ": downloading 4.0 MiB (resuming at 3.0 MiB)",
            key + ": done 4.0 MiB in 1.0 s (1.0 MiB/s)");
    assertThat(p.transferred()).isEqualTo(1L << 20);
  }

  @Test
  void aLongDownloadGetsAProgressLineEveryIntervalAndNotMoreOften() {
    p.downloading(layer, 0);
    p.bytesTransferred(layer, 1L << 20);
    clock.advance(Duration.ofSeconds(4));
    assertThat(p.progressLines(Duration.ofSeconds(5))).isEmpty();

    clock.advance(Duration.ofSeconds(1));
    assertThat(p.progressLines(Duration.ofSeconds(5)))
        .containsExactly(key + ": 1.0 MiB/4.0 MiB (25%), 204.8 KiB/s");
    assertThat(p.progressLines(Duration.ofSeconds(5))).as("just reported").isEmpty();

    p.bytesTransferred(layer, 1L << 20);
    clock.advance(Duration.ofSeconds(5));
    assertThat(p.progressLines(Duration.ofSeconds(5)))
        .containsExactly(key + ": 2.0 MiB/4.0 MiB (50%), 204.8 KiB/s");
    p.done(layer);
    clock.advance(Duration.ofSeconds(5));
    assertThat(p.progressLines(Duration.ofSeconds(5))).as("finished").isEmpty();
  }
}
