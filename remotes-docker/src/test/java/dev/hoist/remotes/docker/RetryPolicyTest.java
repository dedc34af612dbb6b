package dev.hoist.remotes.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

  @Test
  void backoffDoublesUpToTheCapWithoutJitter() {
    RetryPolicy p =
        RetryPolicy.builder()
            .baseBackoff(Duration.ofMillis(100))
            .maxBackoff(Duration.ofMillis(500))
            .jitter(0)
            .build();

    assertThat(p.backoff(1)).isEqualTo(Duration.ofMillis(100));
    assertThat(p.backoff(2)).isEqualTo(Duration.ofMillis(200));
    assertThat(p.backoff(3)).isEqualTo(Duration.ofMillis(400));
    assertThat(p.backoff(4)).isEqualTo(Duration.ofMillis(500));
    assertThat(p.backoff(200)).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void jitterStaysWithinItsSpreadAndIsReproducibleFromASeed() {
    RetryPolicy a =
        RetryPolicy.builder()
            .baseBackoff(Duration.ofSeconds(1))
            .jitter(0.5)
            .random(new SplittableRandom(3))
            .build();
    RetryPolicy b =
        RetryPolicy.builder()
            .baseBackoff(Duration.ofSeconds(1))
            .jitter(0.5)
            .random(new SplittableRandom(3))
            .build();

    for (int i = 0; i < 50; i++) {
      Duration d = a.backoff(1);
      assertThat(d).isBetween(Duration.ofMillis(500), Duration.ofMillis(1500));
      assertThat(b.backoff(1)).isEqualTo(d);
    }
  }

  @Test
  void defaultsAreBoundedByTimeNotAttempts() {
    RetryPolicy d = RetryPolicy.defaults();

    assertThat(d.maxAttempts()).isEqualTo(Integer.MAX_VALUE);
    assertThat(d.retryFor()).isEqualTo(Duration.ofSeconds(60));
    assertThat(d.maxBackoff()).isEqualTo(Duration.ofSeconds(5));
    assertThat(RetryPolicy.none().maxAttempts()).isEqualTo(1);
    assertThat(d.toBuilder().maxAttempts(2).build().baseBackoff()).isEqualTo(d.baseBackoff());
  }

  @Test
  void rejectsNonsense() {
    assertThatThrownBy(() -> RetryPolicy.builder().maxAttempts(0).build())
        .hasMessageContaining("maxAttempts");
    assertThatThrownBy(() -> RetryPolicy.builder().jitter(1.5).build())
        .hasMessageContaining("jitter");
    assertThatThrownBy(() -> RetryPolicy.builder().jitter(Double.NaN).build())
        .hasMessageContaining("jitter");
    assertThatThrownBy(() -> RetryPolicy.builder().baseBackoff(Duration.ofSeconds(-1)).build())
        .hasMessageContaining("baseBackoff");
    assertThatThrownBy(() -> RetryPolicy.builder().retryFor(null).build())
        .isInstanceOf(NullPointerException.class);
  }
}
