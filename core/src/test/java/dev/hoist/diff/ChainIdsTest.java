package dev.hoist.diff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hoist.digest.Digest;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChainIdsTest {

  private static final Digest A =
      Digest.parse("sha256:a3ed95caeb02ffe68cdd9fd84406680ae93d633cb16422d00e8a7c22955b46d4");
  private static final Digest B =
      Digest.parse("sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef");

  @Test
  void firstChainIdIsTheFirstDiffId() {
    assertThat(ChainIds.of(List.of(A))).containsExactly(A);
  }

  @Test
  void laterChainIdsHashParentSpaceDiffIdAsTheOciSpecSays() {
    Digest expected = Digest.sha256(A + " " + B);

    assertThat(ChainIds.of(List.of(A, B))).containsExactly(A, expected);
    assertThat(ChainIds.of(List.of(A, B, A)).get(2)).isEqualTo(Digest.sha256(expected + " " + A));
  }

  @Test
  void noLayersNoChainIds() {
    assertThat(ChainIds.of(List.of())).isEmpty();
  }
}
