package dev.hoist.remotes.docker.config.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hoist.testing.RandomStrings;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HostNamesTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "localhost, localhost, '', true",
    "LOCALHOST:5000, LOCALHOST, 5000, true",
    "127.0.0.1:443, 127.0.0.1, 443, true",
    "127.8.9.10, 127.8.9.10, '', true",
    "[::1]:5000, ::1, 5000, true",
    "[0:0:0:0:0:0:0:1], 0:0:0:0:0:0:0:1, '', true",
    "::1, ::1, '', true",
    "128.0.0.1:5000, 128.0.0.1, 5000, false",
    "localhost.example.com, localhost.example.com, '', false",
    "docker.io, docker.io, '', false",
    "[2001:db8::1]:5000, 2001:db8::1, 5000, false"
  })
  void splitsHostAndPortAndSpotsLoopback(String hostPort, String host, String port, boolean local) {
    assertThat(HostNames.hostname(hostPort)).isEqualTo(host);
    assertThat(HostNames.port(hostPort)).isEqualTo(port);
    assertThat(HostNames.isLocalhost(hostPort)).isEqualTo(local);
  }

  @Test
  void dottedQuadIsExactlyFourRunsOfOneToThreeDigits() {
    Pattern oracle = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    RandomStrings.forEach(
        3,
        200_000,
        "0129.a:",
        16,
        s ->
            assertThat(HostNames.dottedQuad(s)).as("%s", s).isEqualTo(oracle.matcher(s).matches()));
    assertThat(HostNames.dottedQuad("127.0.0.1")).isTrue();
    assertThat(HostNames.dottedQuad("1234.0.0.1")).isFalse();
  }
}
