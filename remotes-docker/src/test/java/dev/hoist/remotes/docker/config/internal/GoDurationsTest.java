package dev.hoist.remotes.docker.config.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GoDurationsTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "1s, PT1S",
    "500ms, PT0.5S",
    "1.5h, PT1H30M",
    "1m30s, PT1M30S",
    "2h45m0.5s, PT2H45M0.5S",
    "100us, PT0.0001S",
    "100µs, PT0.0001S",
    "7ns, PT0.000000007S",
    "0, PT0S",
    "-2s, PT-2S",
    ".5s, PT0.5S"
  })
  void parsesGoSyntax(String text, String iso) {
    assertThat(GoDurations.parse(text)).isEqualTo(Duration.parse(iso));
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"", "1", "s", "1 s", "1d", "1s2", "1.s.s", "--1s", "ten seconds"})
  void rejectsWhatGoRejects(String text) {
    assertThatThrownBy(() -> GoDurations.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid duration");
  }
}
