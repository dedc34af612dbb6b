package dev.hoist.digest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hoist.digest.Digest;
import dev.hoist.digest.Digester;
import java.io.ByteArrayOutputStream;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class Sha256WarmUpTest {

  @Test
  void warmUpHashesOneSingleBlockUpdatePerBlock() {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte[] block = new byte[64];
    for (int i = 0; i < Sha256WarmUp.BLOCKS; i++) {
      block[0] = (byte) i;
      all.write(block, 0, block.length);
    }

    byte[] got = Sha256WarmUp.run(Sha256WarmUp.BLOCKS);

    assertThat(Sha256WarmUp.BLOCKS).isGreaterThan(5000); // C2's default call threshold
    assertThat("sha256:" + HexFormat.of().formatHex(got))
        .isEqualTo(Digest.sha256(all.toByteArray()).toString());
  }

  @Test
  void blockCountComesFromThePropertyWhenItIsAWholeNumber() {
    String[][] table = {
      {null, "16384"},
      {"1024", "1024"},
      {" 512 ", "512"},
      {"0", "0"},
      {"-1", "16384"},
      {"many", "16384"},
      {"", "16384"},
      {"99999999999", "16384"},
    };
    for (String[] row : table) {
      assertThat(Sha256WarmUp.blocks(row[0])).as("%s", row[0]).isEqualTo(Integer.parseInt(row[1]));
    }
    assertThat(HexFormat.of().formatHex(Sha256WarmUp.run(0)))
        .isEqualTo(Digest.sha256(new byte[0]).encoded());
  }

  @Test
  void firstSha256DigesterStartsTheWarmUp() {
    Digester.sha256().update(new byte[] {1}, 0, 1);

    assertThat(Sha256WarmUp.started()).isTrue();
  }
}
