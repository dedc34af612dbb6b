package dev.hoist.content.local.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Background writeback never disturbs the bytes being written, and its failures stay silent. */
@Timeout(60)
class WriteBehindTest {

  @TempDir Path dir;

  @Test
  void bytesWrittenWhileFlushesRunAreAllThereInOrder() throws Exception {
    Path file = dir.resolve("data");
    MessageDigest want = MessageDigest.getInstance("SHA-256");
    Random random = new Random(1);
    byte[] chunk = new byte[1 << 20];
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      WriteBehind wb = new WriteBehind(ch);
      for (int i = 0; i < 3 * (WriteBehind.EVERY_BYTES >> 20) + 5; i++) {
        random.nextBytes(chunk);
        want.update(chunk);
        ByteBuffer b = ByteBuffer.wrap(chunk);
        while (b.hasRemaining()) {
          ch.write(b);
        }
        wb.wrote(chunk.length);
      }
      ch.force(true);
    }
    MessageDigest got = MessageDigest.getInstance("SHA-256");
    got.update(Files.readAllBytes(file));
    assertThat(got.digest()).isEqualTo(want.digest());
    assertThat(Files.size(file)).isEqualTo((3 * (WriteBehind.EVERY_BYTES >> 20) + 5) << 20);
  }

  @Test
  void aFlushOfAClosedChannelIsIgnored() throws Exception {
    FileChannel ch =
        FileChannel.open(dir.resolve("gone"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    WriteBehind wb = new WriteBehind(ch);
    ch.close();
    assertThatCode(
            () -> {
              wb.wrote(WriteBehind.EVERY_BYTES);
              wb.wrote(WriteBehind.EVERY_BYTES);
            })
        .doesNotThrowAnyException();
  }
}
