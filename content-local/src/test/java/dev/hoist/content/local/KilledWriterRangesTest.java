package dev.hoist.content.local;

import static dev.hoist.testing.content.ContentStoreFixtures.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.hoist.content.ByteRange;
import dev.hoist.content.ContentWriter;
import dev.hoist.content.local.ChildProcesses.Child;
import dev.hoist.digest.Digest;
import dev.hoist.spec.Descriptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a writer killed with {@code kill -9} keeps: every range whose write returned, in the same
 * boot (the bytes are in the page cache); after a reboot only what a data fsync covered.
 */
class KilledWriterRangesTest {

  private static final Path BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");
  private static final int SIZE = 6_000_000;
  private static final int PIECE = 256 * 1024;

  @TempDir Path root;

  private final byte[] data = ChildProcesses.content(SIZE, 31);
  private final Descriptor desc = ChildProcesses.layer(data);

  private Path ingest(String ref) {
    return root.resolve("ingest").resolve(Digest.sha256(ref).encoded());
  }

  private static String bootId() throws IOException {
    return Files.readString(BOOT_ID, StandardCharsets.US_ASCII).strip();
  }

  @Test
  void everyRangeWrittenBeforeAKill9IsKeptInTheSameBoot() throws Exception {
    assumeThat(Files.isReadable(BOOT_ID)).as("Linux boot id").isTrue();
    int prefix = 300_000;
    int from = 1_000_000;
    int to = from + 12 * PIECE + 5;
    try (Child child =
        ChildProcesses.start(
            "writeat", root, "killed", "" + SIZE, "31", "" + prefix, "" + from, "" + to)) {
      assertThat(child.nextLine()).isEqualTo("WROTE");
      // The child holds the writer's lock, so no data fsync can complete and no durable record
      // can be made: once the written ranges are listed, SIGKILL.
      String written = "w 0 " + prefix + "\nw " + from + " " + to + "\n";
      awaitRangesFile(ingest("killed"), written, child.process);
      child.process.destroyForcibly();
      assertThat(child.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    LocalContentStore store = LocalContentStore.open(root);
    assertThat(store.status("killed").offset()).isEqualTo(prefix);
    try (ContentWriter w = store.writer("killed", desc)) {
      assertThat(w.present()).containsExactly(new ByteRange(0, prefix), new ByteRange(from, to));
      w.writeAt(to, ByteBuffer.wrap(data, to, SIZE - to));
      w.writeAt(prefix, ByteBuffer.wrap(data, prefix, from - prefix));
      assertThat(w.status().offset()).isEqualTo(SIZE);
      w.commit(SIZE, desc.digest(), Map.of());
    }
    assertThat(readAll(store, desc)).isEqualTo(data);
  }

  @Test
  void aRangesFileFromAnotherBootKeepsOnlyTheDurableRanges() throws IOException {
    assumeThat(Files.isReadable(BOOT_ID)).as("Linux boot id").isTrue();
    writeThenClose("old");
    Files.writeString(
        ingest("old").resolve("ranges"),
        "boot 00000000-0000-0000-0000-000000000000\n"
            + "w 1000000 2000000\nw 3000000 4000000\n"
            + "d 1000000 1500000\n");
    LocalContentStore store = LocalContentStore.open(root);
    try (ContentWriter w = store.writer("old", desc)) {
      assertThat(w.present()).containsExactly(new ByteRange(1_000_000, 1_500_000));
    }
  }

  @Test
  void aRangesFileFromThisBootKeepsTheWrittenRanges() throws IOException {
    assumeThat(Files.isReadable(BOOT_ID)).as("Linux boot id").isTrue();
    writeThenClose("same");
    Files.writeString(
        ingest("same").resolve("ranges"),
        "boot " + bootId() + "\nw 1000000 2000000\nw 3000000 4000000\nd 1000000 1500000\n");
    LocalContentStore store = LocalContentStore.open(root);
    try (ContentWriter w = store.writer("same", desc)) {
      assertThat(w.present())
          .containsExactly(
              new ByteRange(1_000_000, 2_000_000), new ByteRange(3_000_000, 4_000_000));
      w.writeAt(0, ByteBuffer.wrap(data, 0, 1_000_000));
      w.writeAt(2_000_000, ByteBuffer.wrap(data, 2_000_000, 1_000_000));
      w.writeAt(4_000_000, ByteBuffer.wrap(data, 4_000_000, SIZE - 4_000_000));
      w.commit(SIZE, desc.digest(), Map.of());
    }
    assertThat(readAll(store, desc)).isEqualTo(data);
  }

  @Test
  void writtenRangesClaimingBytesPastTheDataFileAreClippedToIt() throws IOException {
    assumeThat(Files.isReadable(BOOT_ID)).as("Linux boot id").isTrue();
    writeThenClose("forged"); // the data file ends at 4 000 000
    Files.writeString(
        ingest("forged").resolve("ranges"),
        "boot " + bootId() + "\nw 3000000 9000000000\nw 9000000001 9000000002\n");
    LocalContentStore store = LocalContentStore.open(root);
    try (ContentWriter w = store.writer("forged", desc)) {
      assertThat(w.present()).containsExactly(new ByteRange(3_000_000, 4_000_000));
    }
  }

  @Test
  void aRangesFileWithAMalformedBootLineRestartsTheIngest() throws IOException {
    writeThenClose("bad");
    Files.writeString(
        ingest("bad").resolve("ranges"), "boot ../../etc/passwd\nw 1000000 2000000\n");
    LocalContentStore store = LocalContentStore.open(root);
    try (ContentWriter w = store.writer("bad", desc)) {
      assertThat(w.present()).isEmpty();
    }
    assertThat(Files.size(ingest("bad").resolve("data"))).isZero();
  }

  @Test
  void aRangesFileOfTheEarlierFormatCountsAsDurable() throws IOException {
    writeThenClose("legacy");
    Files.writeString(ingest("legacy").resolve("ranges"), "1000000 1500000\n3000000 4000000\n");
    LocalContentStore store = LocalContentStore.open(root);
    try (ContentWriter w = store.writer("legacy", desc)) {
      assertThat(w.present())
          .containsExactly(
              new ByteRange(1_000_000, 1_500_000), new ByteRange(3_000_000, 4_000_000));
    }
  }

  /** Polls the ranges file until its written ranges are {@code written} (30 s at most). */
  private static void awaitRangesFile(Path ingest, String written, Process child)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    String last = null;
    while (System.nanoTime() < deadline && child.isAlive()) {
      try {
        last = Files.readString(ingest.resolve("ranges"));
      } catch (NoSuchFileException e) {
        last = null; // not written yet
      }
      if (last != null && last.contains(written) && !last.contains("d ")) {
        return;
      }
      Thread.sleep(5); // polling another process's file: there is no event to wait for
    }
    throw new AssertionError("ranges file never listed " + written + "; last seen: " + last);
  }

  /**
   * An ingest holding the blob's real bytes at [1 000 000, 2 000 000) and [3 000 000, 4 000 000).
   */
  private void writeThenClose(String ref) throws IOException {
    try (ContentWriter w = LocalContentStore.open(root).writer(ref, desc)) {
      w.writeAt(3_000_000, ByteBuffer.wrap(data, 3_000_000, 1_000_000));
      w.writeAt(1_000_000, ByteBuffer.wrap(data, 1_000_000, 1_000_000));
    }
  }
}
