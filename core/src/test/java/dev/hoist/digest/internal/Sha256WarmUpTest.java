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

    byte[] got = Sha256WarmUp.run();

    assertThat(Sha256WarmUp.BLOCKS).isGreaterThan(5000); // C2's default call threshold
    assertThat("sha256:" + HexFormat.of().formatHex(got))
        .isEqualTo(Digest.sha256(all.toByteArray()).toString());
  }

  @Test
  void firstSha256DigesterStartsTheWarmUp() {
    Digester.sha256().update(new byte[] {1}, 0, 1);

    assertThat(Sha256WarmUp.started()).isTrue();
  }
}
