package dev.hoist.content.local.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IsoInstantsTest {

  static Stream<Instant> instants() {
    List<Instant> out =
        new ArrayList<>(
            List.of(
                Instant.EPOCH,
                Instant.ofEpochSecond(0, 1),
                Instant.ofEpochSecond(0, 1_000),
                Instant.ofEpochSecond(0, 1_000_000),
                Instant.ofEpochSecond(0, 999_999_999),
                Instant.ofEpochSecond(-1, 500_000_000),
                Instant.parse("0000-01-01T00:00:00Z"),
                Instant.parse("9999-12-31T23:59:59.999999999Z"),
                Instant.parse("+10000-01-01T00:00:00Z"),
                Instant.parse("-0001-12-31T23:59:59Z"),
                Instant.parse("2024-02-29T12:34:56.120Z"),
                Instant.parse("2026-12-06T22:04:12.031827467Z"),
                Instant.MIN,
                Instant.MAX));
    SplittableRandom r = new SplittableRandom(19);
    for (int i = 0; i < 2000; i++) {
      long s = r.nextLong(-70_000_000_000L, 260_000_000_000L);
      int nano =
          switch (i % 4) {
            case 0 -> 0;
            case 1 -> r.nextInt(1000) * 1_000_000;
            case 2 -> r.nextInt(1_000_000) * 1000;
            default -> r.nextInt(1_000_000_000);
          };
      out.add(Instant.ofEpochSecond(s, nano));
    }
    return out.stream();
  }

  @Test
  void writesWhatInstantToStringWritesAndReadsItBack() {
    instants()
        .forEach(
            t -> {
              String text = IsoInstants.format(t);

              assertThat(text).as("format of %s", t).isEqualTo(t.toString());
              assertThat(IsoInstants.parse(text)).as("parse of %s", text).isEqualTo(t);
            });
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2026-12-06T22:04:12Z",
        "2026-12-06T22:04:12.5Z",
        "2026-12-06T22:04:12.12345Z",
        "2026-12-06t22:04:12z",
        "2026-12-06T22:04:12.Z",
        "2026-12-31T24:00:00Z",
        "2026-12-31T23:59:60Z",
        "2026-12-06T22:04:12+01:00",
        "+12026-12-06T22:04:12Z"
      })
  void readsWhatInstantParseReads(String text) {
    assertThat(IsoInstants.parse(text)).isEqualTo(Instant.parse(text));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "2026-13-06T22:04:12Z",
        "2026-02-30T22:04:12Z",
        "2026-12-06T22:04:12.1234567890Z",
        "2026-12-06T22:4:12Z",
        "2026-12-06T22:04:1xZ",
        "2026-12-06 22:04:12Z",
        "2026-12-06T25:04:12Z",
        "not a time at all, long enough"
      })
  void refusesWhatInstantParseRefuses(String text) {
    assertThatThrownBy(() -> Instant.parse(text)).isInstanceOf(DateTimeException.class);
    assertThatThrownBy(() -> IsoInstants.parse(text)).isInstanceOf(DateTimeException.class);
  }

  @Test
  void readsMillisecondsAsNanoseconds() {
    assertThat(IsoInstants.parse("1970-01-01T00:00:00.120Z").getNano()).isEqualTo(120_000_000);
  }
}
