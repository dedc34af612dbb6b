package dev.hoist.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The words of the summary line, the same in every progress mode. */
class FetchReportTest {

  private static final String DIGEST = "sha256:" + "ab".repeat(32);

  @Test
  void downloadedAndPresentBlobsAreCountedWithBytesTimeAndRate() {
    FetchReport r =
        new FetchReport(
            "docker.io/library/a:1", DIGEST, "m", 14, 12, 2, 211_077_120, Duration.ofMillis(3200));

    assertThat(r.line("—"))
        .isEqualTo(
            "fetched docker.io/library/a:1 "
                + DIGEST
                + " — 14 blobs: 12 downloaded (201.3 MiB in 3.2 s, 62.9 MiB/s), 2 already present");
  }

  @Test
  void nothingPresentLeavesThePresentCountOutAndOneBlobIsSingular() {
    FetchReport r = new FetchReport("r", DIGEST, "m", 1, 1, 0, 2048, Duration.ofSeconds(1));

    assertThat(r.line("-"))
        .isEqualTo("fetched r " + DIGEST + " - 1 blob: 1 downloaded (2.0 KiB in 1.0 s, 2.0 KiB/s)");
  }

  @Test
  void nothingDownloadedIsAlreadyUpToDate() {
    FetchReport r = new FetchReport("r", DIGEST, "m", 5, 0, 5, 0, Duration.ofMillis(40));

    assertThat(r.upToDate()).isTrue();
    assertThat(r.line("—"))
        .isEqualTo("fetched r " + DIGEST + " — already up to date (5 blobs present)");
    assertThat(r.json())
        .containsEntry("upToDate", true)
        .containsEntry("bytes", 0L)
        .containsEntry("seconds", 0.04)
        .containsKeys("ref", "digest", "mediaType", "blobs", "downloaded", "present");
  }
}
