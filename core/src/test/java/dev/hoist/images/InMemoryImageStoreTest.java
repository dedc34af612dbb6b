package dev.hoist.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.digest.Digest;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.MediaTypes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * {@link InMemoryImageStore}'s clock seam; hoist-testing runs the image-store contract against it.
 */
class InMemoryImageStoreTest {

  @Test
  void timestampsComeFromInjectedClock() {
    Instant t0 = Instant.parse("2026-01-02T03:04:05Z");
    MutableClock clock = new MutableClock(t0);
    InMemoryImageStore store = new InMemoryImageStore(clock);

    Image created = store.create(Image.of("docker.io/library/a:1", target("a")));
    clock.now = t0.plus(Duration.ofMinutes(5));
    Image updated = store.update(Image.of("docker.io/library/a:1", target("b")));

    assertThat(created.createdAt()).isEqualTo(t0);
    assertThat(created.updatedAt()).isEqualTo(t0);
    assertThat(updated.createdAt()).isEqualTo(t0);
    assertThat(updated.updatedAt()).isEqualTo(t0.plus(Duration.ofMinutes(5)));
  }

  @Test
  void rejectsEmptyName() {
    InMemoryImageStore store = new InMemoryImageStore();

    assertThatThrownBy(() -> store.create(Image.of("", target("a"))))
        .isInstanceOf(InvalidArgumentException.class);
  }

  private static Descriptor target(String seed) {
    return Descriptor.of(MediaTypes.OCI_MANIFEST, Digest.sha256(seed), 100 + seed.length());
  }

  /** A clock a test moves by hand. */
  static final class MutableClock extends Clock {
    volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
