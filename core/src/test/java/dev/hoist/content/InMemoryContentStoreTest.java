package dev.hoist.content;

import static dev.hoist.content.TestBlobs.layer;
import static dev.hoist.content.TestBlobs.randomBytes;
import static dev.hoist.content.TestBlobs.readAll;
import static dev.hoist.content.TestBlobs.writeAll;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.errors.DigestMismatchException;
import dev.hoist.errors.FailedPreconditionException;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.spec.Descriptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What only {@link InMemoryContentStore} does; hoist-testing runs the content-store contract
 * against it.
 */
class InMemoryContentStoreTest {

  @Test
  void timestampsComeFromInjectedClock() throws IOException {
    Instant t0 = Instant.parse("2026-03-04T05:06:07Z");
    MovableClock clock = new MovableClock(t0);
    InMemoryContentStore store = new InMemoryContentStore(clock);
    byte[] data = "timed".getBytes(UTF_8);
    Descriptor desc = layer(data);

    try (ContentWriter w = store.writer("timed", desc)) {
      assertThat(w.status().startedAt()).isEqualTo(t0);
      clock.now = t0.plusSeconds(1);
      writeAll(w, data);
      assertThat(w.status().updatedAt()).isEqualTo(t0.plusSeconds(1));
      clock.now = t0.plusSeconds(2);
      w.commit(data.length, desc.digest(), Map.of());
    }
    clock.now = t0.plus(Duration.ofHours(1));
    ContentInfo updated = store.update(desc.digest(), Map.of("a", "b"));

    assertThat(updated.createdAt()).isEqualTo(t0.plusSeconds(2));
    assertThat(updated.updatedAt()).isEqualTo(t0.plus(Duration.ofHours(1)));
  }

  @Test
  void writerStaysUsableAfterFailedCommit() throws IOException {
    InMemoryContentStore store = new InMemoryContentStore();
    byte[] data = "recoverable".getBytes(UTF_8);
    Descriptor desc = layer(data);

    try (ContentWriter w = store.writer("recover", desc)) {
      writeAll(w, "wrong".getBytes(UTF_8));
      assertThatThrownBy(() -> w.commit(5, desc.digest(), Map.of()))
          .isInstanceOf(DigestMismatchException.class);
      w.truncate(0);
      writeAll(w, data);
      w.commit(data.length, desc.digest(), Map.of());
    }

    assertThat(readAll(store, desc)).isEqualTo(data);
  }

  @Test
  void truncateToMiddleRehashesKeptPrefix() throws IOException {
    InMemoryContentStore store = new InMemoryContentStore();
    byte[] data = randomBytes(10_000, 11);
    Descriptor desc = layer(data);

    try (ContentWriter w = store.writer("middle", desc)) {
      w.write(ByteBuffer.wrap(data, 0, 6_000));
      writeAll(w, "junk".getBytes(UTF_8));
      w.truncate(6_000);
      w.write(ByteBuffer.wrap(data, 6_000, 4_000));
      w.commit(data.length, desc.digest(), Map.of());
    }

    assertThat(readAll(store, desc)).isEqualTo(data);
  }

  @Test
  void truncateBeyondOffsetIsInvalid() throws IOException {
    InMemoryContentStore store = new InMemoryContentStore();
    try (ContentWriter w = store.writer("t", layer(new byte[] {1, 2}))) {
      assertThatThrownBy(() -> w.truncate(5)).isInstanceOf(InvalidArgumentException.class);
      assertThatThrownBy(() -> w.truncate(-1)).isInstanceOf(InvalidArgumentException.class);
    }
  }

  @Test
  void writerOfAbortedIngestCannotCommit() throws IOException {
    InMemoryContentStore store = new InMemoryContentStore();
    byte[] data = "aborted".getBytes(UTF_8);
    Descriptor desc = layer(data);

    try (ContentWriter w = store.writer("aborted", desc)) {
      writeAll(w, data);
      store.abort("aborted");

      assertThatThrownBy(() -> w.commit(data.length, desc.digest(), Map.of()))
          .isInstanceOf(FailedPreconditionException.class)
          .hasMessageContaining("aborted");
    }
    assertThat(store.exists(desc.digest())).isFalse();
  }

  @Test
  void ingestForOtherContentUnderSameRefStartsOver() throws IOException {
    InMemoryContentStore store = new InMemoryContentStore();
    byte[] first = "first content".getBytes(UTF_8);
    byte[] second = "second content".getBytes(UTF_8);
    try (ContentWriter w = store.writer("reused", layer(first))) {
      writeAll(w, first);
    }

    try (ContentWriter w = store.writer("reused", layer(second))) {
      assertThat(w.status().offset()).isZero();
      assertThat(w.status().expected()).isEqualTo(layer(second).digest());
    }
  }

  @Test
  void writeAfterCloseFails() throws IOException {
    InMemoryContentStore store = new InMemoryContentStore();
    ContentWriter w = store.writer("closed", layer(new byte[] {1}));
    w.close();

    assertThatThrownBy(() -> w.write(ByteBuffer.wrap(new byte[] {1})))
        .isInstanceOf(java.nio.channels.ClosedChannelException.class);
    assertThat(w.isOpen()).isFalse();
  }

  /** A clock a test moves by hand. */
  static final class MovableClock extends Clock {
    volatile Instant now;

    MovableClock(Instant now) {
      this.now = now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
