package dev.hoist.content.local;

import static dev.hoist.testing.content.ContentStoreFixtures.layer;
import static dev.hoist.testing.content.ContentStoreFixtures.randomBytes;
import static dev.hoist.testing.content.ContentStoreFixtures.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.content.ByteRange;
import dev.hoist.content.ContentWriter;
import dev.hoist.digest.Digest;
import dev.hoist.errors.DigestMismatchException;
import dev.hoist.spec.Descriptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ContentWriter#writeAt} on the local store: bytes beyond the prefix are kept, recorded in
 * the ingest's {@code ranges} file, survive a new writer, and are hashed in order when the prefix
 * reaches them.
 */
class PositionalWriteTest {

  @TempDir Path root;

  private static final int SIZE = 3_000_000;

  private final byte[] data = randomBytes(SIZE, 5);
  private final Descriptor desc = layer(data);
  private final String ref = "layer-" + desc.digest();

  private static ByteBuffer slice(byte[] b, int from, int to) {
    return ByteBuffer.wrap(b, from, to - from);
  }

  private Path ingest() {
    return root.resolve("ingest").resolve(Digest.sha256(ref).encoded());
  }

  @Test
  void outOfOrderPiecesCommitWithTheWholeBlobsDigest() throws IOException {
    LocalContentStore store = LocalContentStore.open(root);
    try (ContentWriter w = store.writer(ref, desc)) {
      assertThat(w.supportsWriteAt()).isTrue();
      w.writeAt(2_000_000, slice(data, 2_000_000, SIZE));
      w.writeAt(1_000_000, slice(data, 1_000_000, 2_000_000));
      assertThat(w.status().offset()).isZero();
      assertThat(w.present()).containsExactly(new ByteRange(1_000_000, SIZE));
      w.writeAt(0, slice(data, 0, 1_000_000));
      assertThat(w.status().offset()).isEqualTo(SIZE);
      assertThat(w.present()).containsExactly(new ByteRange(0, SIZE));
      assertThat(ingest().resolve("ranges")).doesNotExist(); // the prefix says it all again
      w.commit(SIZE, desc.digest(), Map.of());
    }
    assertThat(readAll(store, desc)).isEqualTo(data);
  }

  @Test
  void keptRangesSurviveANewWriterAndOnlyTheGapIsMissing() throws IOException {
    LocalContentStore store = LocalContentStore.open(root);
    try (ContentWriter w = store.writer(ref, desc)) {
      w.write(slice(data, 0, 500_000));
      w.writeAt(1_500_000, slice(data, 1_500_000, 2_500_000));
    }
    // Closed: everything written is durable too.
    assertThat(Files.readString(ingest().resolve("ranges")))
        .endsWith("w 0 500000\nw 1500000 2500000\nd 0 500000\nd 1500000 2500000\n");
    assertThat(store.status(ref).offset()).isEqualTo(500_000);
    try (ContentWriter w = LocalContentStore.open(root).writer(ref, desc)) {
      assertThat(w.present())
          .containsExactly(new ByteRange(0, 500_000), new ByteRange(1_500_000, 2_500_000));
      assertThat(ByteRange.gaps(w.present(), SIZE))
          .containsExactly(new ByteRange(500_000, 1_500_000), new ByteRange(2_500_000, SIZE));
      w.writeAt(2_500_000, slice(data, 2_500_000, SIZE));
      w.write(slice(data, 500_000, 1_500_000)); // the prefix grows over everything kept
      assertThat(w.status().offset()).isEqualTo(SIZE);
      w.commit(SIZE, desc.digest(), Map.of());
    }
    assertThat(readAll(store, desc)).isEqualTo(data);
    assertThat(ingest()).doesNotExist();
  }

  @Test
  void bytesBeyondTheRecordedRangesAreNotTrusted() throws IOException {
    LocalContentStore store = LocalContentStore.open(root);
    try (ContentWriter w = store.writer(ref, desc)) {
      w.writeAt(1_000_000, slice(data, 1_000_000, 1_200_000));
    }
    // A writer killed after writing more but before recording it: garbage past the ranges.
    try (FileChannel ch = FileChannel.open(ingest().resolve("data"), StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[300_000]), 1_200_000);
      ch.write(ByteBuffer.wrap(new byte[1_000]), 0);
    }
    try (ContentWriter w = store.writer(ref, desc)) {
      assertThat(w.present()).containsExactly(new ByteRange(1_000_000, 1_200_000));
      w.writeAt(0, slice(data, 0, 1_000_000));
      w.writeAt(1_200_000, slice(data, 1_200_000, SIZE));
      w.commit(SIZE, desc.digest(), Map.of());
    }
    assertThat(readAll(store, desc)).isEqualTo(data);
  }

  @Test
  void unrecordedBytesAreCutOffOnceThePrefixHoldsEverythingRecorded() throws IOException {
    LocalContentStore store = LocalContentStore.open(root);
    try (ContentWriter w = store.writer(ref, desc)) {
      w.writeAt(1_000_000, slice(data, 1_000_000, 1_200_000));
    }
    try (FileChannel ch = FileChannel.open(ingest().resolve("data"), StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[300_000]), 1_200_000);
    }
    try (ContentWriter w = store.writer(ref, desc)) {
      w.writeAt(0, slice(data, 0, 1_000_000));
      assertThat(w.status().offset()).isEqualTo(1_200_000);
    }
    assertThat(ingest().resolve("ranges")).doesNotExist();
    assertThat(Files.size(ingest().resolve("data"))).isEqualTo(1_200_000);
    try (ContentWriter w = store.writer(ref, desc)) {
      assertThat(w.present()).containsExactly(new ByteRange(0, 1_200_000));
      w.write(slice(data, 1_200_000, SIZE));
      w.commit(SIZE, desc.digest(), Map.of());
    }
    assertThat(readAll(store, desc)).isEqualTo(data);
  }

  @Test
  void aRangesFileNotWrittenByHoistRestartsTheIngest() throws IOException {
    LocalContentStore store = LocalContentStore.open(root);
    try (ContentWriter w = store.writer(ref, desc)) {
      w.write(slice(data, 0, 100_000));
      w.writeAt(1_000_000, slice(data, 1_000_000, 1_200_000));
    }
    Files.writeString(ingest().resolve("ranges"), "0 3000000\n10 20\n");
    try (ContentWriter w = store.writer(ref, desc)) {
      assertThat(w.present()).isEmpty();
      assertThat(w.status().offset()).isZero();
    }
    assertThat(Files.size(ingest().resolve("data"))).isZero();
    assertThat(ingest().resolve("ranges")).doesNotExist();
  }

  @Test
  void wrongBytesKeptBeyondThePrefixFailTheDigestCheck() throws IOException {
    LocalContentStore store = LocalContentStore.open(root);
    byte[] wrong = data.clone();
    wrong[2_000_000] ^= 1;
    try (ContentWriter w = store.writer(ref, desc)) {
      w.writeAt(1_000_000, slice(wrong, 1_000_000, SIZE));
      w.writeAt(0, slice(data, 0, 1_000_000));
      assertThat(w.status().offset()).isEqualTo(SIZE);
      assertThatThrownBy(() -> w.commit(SIZE, desc.digest(), Map.of()))
          .isInstanceOf(DigestMismatchException.class);
    }
  }

  @Test
  void bytesAlreadyInThePrefixAreNotWrittenAgain() throws IOException {
    LocalContentStore store = LocalContentStore.open(root);
    try (ContentWriter w = store.writer(ref, desc)) {
      w.write(slice(data, 0, 1_000_000));
      w.writeAt(0, ByteBuffer.wrap(new byte[500_000])); // hashed already: ignored
      w.writeAt(900_000, slice(data, 900_000, SIZE)); // overlaps the prefix: the rest appends
      w.commit(SIZE, desc.digest(), Map.of());
    }
    assertThat(readAll(store, desc)).isEqualTo(data);
  }

  @Test
  void truncateDropsKeptRanges() throws IOException {
    LocalContentStore store = LocalContentStore.open(root);
    try (ContentWriter w = store.writer(ref, desc)) {
      w.writeAt(1_000_000, slice(data, 1_000_000, 1_200_000));
      w.truncate(0);
      assertThat(w.present()).isEqualTo(List.of());
      assertThat(ingest().resolve("ranges")).doesNotExist();
    }
  }
}
