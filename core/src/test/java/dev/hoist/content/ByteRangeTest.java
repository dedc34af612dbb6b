package dev.hoist.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ByteRangeTest {

  @Test
  void gapsAreWhatThePresentRangesLeaveOfTheBlob() {
    assertThat(ByteRange.gaps(List.of(), 10)).containsExactly(new ByteRange(0, 10));
    assertThat(ByteRange.gaps(List.of(new ByteRange(0, 10)), 10)).isEmpty();
    assertThat(ByteRange.gaps(List.of(new ByteRange(0, 3), new ByteRange(5, 7)), 10))
        .containsExactly(new ByteRange(3, 5), new ByteRange(7, 10));
    assertThat(ByteRange.gaps(List.of(new ByteRange(2, 4)), 4))
        .containsExactly(new ByteRange(0, 2));
  }

  @Test
  void totalSumsTheLengths() {
    assertThat(ByteRange.total(List.of(new ByteRange(0, 3), new ByteRange(5, 7)))).isEqualTo(5);
  }

  @Test
  void boundsOutOfOrderOrNegativeAreRefused() {
    assertThatThrownBy(() -> new ByteRange(5, 4)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ByteRange(-1, 4)).isInstanceOf(IllegalArgumentException.class);
  }
}
