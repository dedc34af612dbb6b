package dev.hoist.content.local.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hoist.digest.Digest;
import dev.hoist.testing.RandomStrings;
import org.junit.jupiter.api.Test;

class RefSlotsTest {

  /** The rule as it was written with a regular expression: the oracle. */
  private static long oracle(String dirName) {
    String hex =
        dirName.length() >= 15 && dirName.substring(0, 15).matches("[0-9a-f]{15}")
            ? dirName
            : Digest.sha256(dirName).encoded();
    return Long.parseUnsignedLong(hex.substring(0, 15), 16);
  }

  @Test
  void offsetIsTheFirst15HexDigitsOfAnIngestNameOrOfTheNamesHash() {
    RandomStrings.forEach(
        11,
        50_000,
        "0123456789abcdefABG-.",
        20,
        s -> assertThat(RefSlots.offset(s)).as("%s", s).isEqualTo(oracle(s)));
    String ingest = Digest.sha256("some ref").encoded();
    assertThat(RefSlots.offset(ingest)).isEqualTo(Long.parseUnsignedLong(ingest, 0, 15, 16));
    assertThat(RefSlots.offset("fffffffffffffff")).isEqualTo(0xfffffffffffffffL);
    assertThat(RefSlots.offset("ffffffffffffffF")).isEqualTo(oracle("ffffffffffffffF"));
  }
}
