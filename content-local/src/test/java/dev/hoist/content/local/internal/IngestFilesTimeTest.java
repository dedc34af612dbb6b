package dev.hoist.content.local.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hoist.testing.RandomStrings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An ingest's {@code startedat} / {@code updatedat}: written and read without java.time.format. */
class IngestFilesTimeTest {

  /** How the files were read with java.time alone: the oracle. */
  private static Instant oracle(String s) {
    try {
      return OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  @Test
  void readsEveryTextAsTheJavaTimeParserDid() {
    List<String> edges =
        List.of(
            "2026-12-07T01:02:03Z",
            "2026-12-07T01:02:03.5Z",
            "2026-12-07T01:02:03.123456789Z",
            "2026-12-07T01:02:03.1234567891Z",
            "2026-12-07T01:02:03.Z",
            "2026-12-07T01:02Z",
            "2026-12-07T01:02:03+01:00",
            "2026-12-07T01:02:03.25-07:30",
            "2026-12-07t01:02:03Z",
            "2026-12-07T01:02:03z",
            "2026-02-30T01:02:03Z",
            "2026-13-01T01:02:03Z",
            "2026-12-07T24:00:00Z",
            "2026-12-07T23:59:60Z",
            "0000-01-01T00:00:00Z",
            "9999-12-31T23:59:59.999999999Z",
            "+10000-01-01T00:00:00Z",
            "");
    for (String s : edges) {
      assertThat(IngestFiles.parseTime(s)).as("%s", s).isEqualTo(oracle(s));
    }
    RandomStrings.forEach(
        3,
        50_000,
        "0123456789-T:.Z+",
        24,
        s -> assertThat(IngestFiles.parseTime(s)).as("%s", s).isEqualTo(oracle(s)));
  }

  @Test
  void writesWhatInstantToStringWritesAndReadsItBack(@TempDir Path dir) throws IOException {
    SplittableRandom r = new SplittableRandom(5);
    for (int i = 0; i < 200; i++) {
      Instant t = Instant.ofEpochSecond(r.nextLong(0, 253_402_300_800L), r.nextInt(1_000_000_000));
      IngestFiles.writeTime(dir, "startedat", t);

      assertThat(IngestFiles.readText(dir, "startedat")).isEqualTo(t.toString());
      assertThat(IngestFiles.readTime(dir, "startedat")).isEqualTo(t);
    }
  }
}
