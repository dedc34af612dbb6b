package dev.hoist.remotes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.content.InMemoryContentStore;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.errors.NotFoundException;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.MediaTypes;
import dev.hoist.testing.TestImages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DistributionSourceLabelsTest {

  private final InMemoryContentStore store = new InMemoryContentStore();

  private Descriptor blob(String content) throws IOException {
    byte[] data = content.getBytes(StandardCharsets.UTF_8);
    return TestImages.commit(store, TestImages.descriptor(MediaTypes.OCI_LAYER_GZIP, data), data);
  }

  @Test
  void keyDropsThePortAsGoUrlHostnameDoes() {
    assertThat(DistributionSourceLabels.key("docker.io"))
        .isEqualTo("containerd.io/distribution.source.docker.io");
    assertThat(DistributionSourceLabels.key("localhost:5000"))
        .isEqualTo("containerd.io/distribution.source.localhost");
    assertThat(DistributionSourceLabels.key("[::1]:5000"))
        .isEqualTo("containerd.io/distribution.source.::1");
  }

  @Test
  void appendsRepositoriesSortedAndDistinct() throws IOException {
    Descriptor desc = blob("layer");
    String key = "containerd.io/distribution.source.registry.example.com";

    DistributionSourceLabels.handler(store, "registry.example.com:443/team/zeta:1").handle(desc);
    DistributionSourceLabels.handler(
            store, "registry.example.com/team/alpha@sha256:" + "a".repeat(64))
        .handle(desc);
    DistributionSourceLabels.handler(store, "registry.example.com/team/zeta:2").handle(desc);

    assertThat(store.info(desc.digest()).labels()).isEqualTo(Map.of(key, "team/alpha,team/zeta"));
  }

  @Test
  void forNewBlobsIsWhatTheHandlerAppendsToAnUnlabelledBlob() throws IOException {
    Descriptor desc = blob("fresh layer");
    String ref = "registry.example.com:5000/team/app:1";

    DistributionSourceLabels.handler(store, ref).handle(desc);

    assertThat(DistributionSourceLabels.forNewBlobs(ref))
        .isEqualTo(store.info(desc.digest()).labels())
        .isEqualTo(Map.of("containerd.io/distribution.source.registry.example.com", "team/app"));
  }

  @Test
  void forNewBlobsIsEmptyWhenTheLabelWouldExceedTheLimit() {
    String repo = "r/" + "x".repeat(DistributionSourceLabels.MAX_LABEL_SIZE);

    assertThat(DistributionSourceLabels.forNewBlobs("registry.example.com/" + repo + ":1"))
        .isEmpty();
    assertThatThrownBy(() -> DistributionSourceLabels.forNewBlobs("no-host"))
        .isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  void handlerWritesNothingWhenTheRepositoryIsListedAlready() throws IOException {
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    MutableClock clock = new MutableClock(t0);
    InMemoryContentStore timed = new InMemoryContentStore(clock);
    byte[] data = "listed".getBytes(StandardCharsets.UTF_8);
    Descriptor desc =
        TestImages.commit(timed, TestImages.descriptor(MediaTypes.OCI_LAYER, data), data);
    String key = "containerd.io/distribution.source.docker.io";
    timed.update(desc.digest(), Map.of(key, "library/app,library/b"));
    clock.now = t0.plusSeconds(60);

    DistributionSourceLabels.handler(timed, "docker.io/library/app:1").handle(desc);

    // No update happened: the update time would be t0 + 60 s after one.
    assertThat(timed.info(desc.digest()).updatedAt()).isEqualTo(t0);
    assertThat(timed.info(desc.digest()).labels()).containsEntry(key, "library/app,library/b");
  }

  @Test
  void handlerLeavesBlobsLabelledAtCommitAloneWithoutReadingThem() throws IOException {
    Descriptor labelled = blob("committed by this fetch");
    Descriptor other = blob("there before");
    java.util.List<dev.hoist.digest.Digest> read = new java.util.ArrayList<>();
    dev.hoist.content.ContentStore watched =
        new dev.hoist.content.ForwardingContentStore(store) {
          @Override
          public dev.hoist.content.ContentInfo info(dev.hoist.digest.Digest d) throws IOException {
            read.add(d);
            return delegate.info(d);
          }
        };
    String ref = "registry.example.com/team/app:1";

    var h = DistributionSourceLabels.handler(watched, ref, labelled.digest()::equals);
    h.handle(labelled);
    h.handle(other);

    assertThat(read).containsExactly(other.digest());
    assertThat(store.info(labelled.digest()).labels()).isEmpty();
    assertThat(store.info(other.digest()).labels())
        .isEqualTo(DistributionSourceLabels.forNewBlobs(ref));
  }

  /** A clock the test moves by hand. */
  private static final class MutableClock extends Clock {
    volatile Instant now;

    MutableClock(Instant now) {
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

  @Test
  void appendNormalisesAnExistingValue() {
    assertThat(DistributionSourceLabels.append("b,a,,b", "c")).isEqualTo("a,b,c");
    assertThat(DistributionSourceLabels.append(null, "x")).isEqualTo("x");
  }

  @Test
  void labelOverTheSizeLimitIsSkippedNotFailed() throws IOException {
    Descriptor desc = blob("popular layer");
    String key = "containerd.io/distribution.source.docker.io";
    String longList = "r/" + "x".repeat(DistributionSourceLabels.MAX_LABEL_SIZE);
    store.update(desc.digest(), Map.of(key, longList));

    assertThat(DistributionSourceLabels.handler(store, "docker.io/library/app:1").handle(desc))
        .isEmpty();

    assertThat(store.info(desc.digest()).labels().get(key)).isEqualTo(longList);
  }

  @Test
  void badReferenceAndMissingBlobAreRefused() throws IOException {
    assertThatThrownBy(() -> DistributionSourceLabels.handler(store, "no-host"))
        .isInstanceOf(InvalidArgumentException.class);
    Descriptor absent =
        TestImages.descriptor(MediaTypes.OCI_LAYER, "absent".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(
            () -> DistributionSourceLabels.handler(store, "docker.io/library/app:1").handle(absent))
        .isInstanceOf(NotFoundException.class);
  }
}
