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
    assertThat(DistributionSourceLabels.key("docker.io")).isEqualTo("containerd.io/distribution.source.docker.io");
    assertThat(DistributionSourceLabels.key("localhost:5000")).isEqualTo("containerd.io/distribution.source.localhost");
    assertThat(DistributionSourceLabels.key("[::1]:5000")).isEqualTo("containerd.io/distribution.source.::1");
  }

  @Test
  void appendsRepositoriesSortedAndDistinct() throws IOException {
    Descriptor desc = blob("layer");
    String key = "containerd.io/distribution.source.registry.example.com";

    DistributionSourceLabels.handler(store, "registry.example.com:443/team/zeta:1").handle(desc);
    DistributionSourceLabels.handler(store, "registry.example.com/team/alpha@sha256:" + "a".repeat(64)).handle(desc);
    DistributionSourceLabels.handler(store, "registry.example.com/team/zeta:2").handle(desc);

    assertThat(store.info(desc.digest()).labels()).isEqualTo(Map.of(key, "team/alpha,team/zeta"));
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

    assertThat(DistributionSourceLabels.handler(store, "docker.io/library/app:1").handle(desc)).isEmpty();

    assertThat(store.info(desc.digest()).labels().get(key)).isEqualTo(longList);
  }

  @Test
  void badReferenceAndMissingBlobAreRefused() throws IOException {
    assertThatThrownBy(() -> DistributionSourceLabels.handler(store, "no-host"))
        .isInstanceOf(InvalidArgumentException.class);
    Descriptor absent = TestImages.descriptor(MediaTypes.OCI_LAYER, "absent".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> DistributionSourceLabels.handler(store, "docker.io/library/app:1").handle(absent))
        .isInstanceOf(NotFoundException.class);
  }
}
