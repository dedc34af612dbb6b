package dev.hoist.cli.progress;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class UnitsTest {

  @Test
  void oneDecimalWritesWhatFormatWritesForSizesAndSeconds() {
    SplittableRandom r = new SplittableRandom(9);
    double[] edges = {0, 0.05, 0.15, 0.25, 0.35, 0.45, 0.95, 1.05, 9.95, 99.95, 1023.95, 2.5e-7};
    for (double v : edges) {
      assertThat(Units.oneDecimal(v)).as("%s", v).isEqualTo(String.format(Locale.ROOT, "%.1f", v));
    }
    for (int i = 0; i < 20_000; i++) {
      double size = r.nextLong(1024, 1L << 50);
      while (size >= 1024) {
        size /= 1024;
      }
      double millis = r.nextLong(0, 10_000_000) / 1000.0;
      assertThat(Units.oneDecimal(size))
          .as("%s", size)
          .isEqualTo(String.format(Locale.ROOT, "%.1f", size));
      assertThat(Units.oneDecimal(millis))
          .as("%s", millis)
          .isEqualTo(String.format(Locale.ROOT, "%.1f", millis));
    }
  }

  @Test
  void bytesSecondsAndRatesReadAsBefore() {
    assertThat(Units.bytes(512)).isEqualTo("512 B");
    assertThat(Units.bytes(1536)).isEqualTo("1.5 KiB");
    assertThat(Units.bytes(211_000_000)).isEqualTo("201.2 MiB");
    assertThat(Units.bytes(1L << 50)).isEqualTo("1024.0 TiB");
    assertThat(Units.seconds(Duration.ofMillis(3249))).isEqualTo("3.2 s");
    assertThat(Units.seconds(Duration.ofMillis(3250))).isEqualTo("3.3 s");
    assertThat(Units.rate(40L << 20, Duration.ofMillis(200))).isEqualTo("200.0 MiB/s");
  }
}
