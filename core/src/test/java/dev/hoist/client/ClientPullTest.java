package dev.hoist.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.diff.ChainIds;
import dev.hoist.digest.Digest;
import dev.hoist.errors.DigestMismatchException;
import dev.hoist.errors.FailedPreconditionException;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.errors.NotFoundException;
import dev.hoist.images.Image;
import dev.hoist.platforms.Platforms;
import dev.hoist.snapshots.Kind;
import dev.hoist.snapshots.SnapshotLabels;
import dev.hoist.spec.Descriptor;
import dev.hoist.testing.TestImages;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClientPullTest extends PullFixture {

  private static List<Digest> digests(List<Descriptor> layers) {
    return layers.stream().map(Descriptor::digest).toList();
  }

  @Test
  void pullCommitsOneSnapshotPerChainIdAndLabelsLayersAndConfig() throws IOException {
    ImageSpec app = new ImageSpec().layers("base", "mid", "top").tag("docker.io/library/app:1");
    List<Digest> chain = ChainIds.of(digests(app.layers));

    UnpackedImage pulled = client.pull("app:1", ctx().build());

    assertThat(pulled.chainId()).isEqualTo(chain.get(2));
    assertThat(pulled.applied()).isEqualTo(3);
    assertThat(pulled.reused()).isZero();
    assertThat(pulled.platform()).isEqualTo(Platforms.parse("linux/amd64"));
    assertThat(committed())
        .containsExactlyInAnyOrderElementsOf(chain.stream().map(Digest::toString).toList());
    assertThat(snapshotter.stat(chain.get(2).toString()).parent())
        .isEqualTo(chain.get(1).toString());
    assertThat(snapshots()).allMatch(s -> s.kind() == Kind.COMMITTED);
    for (Descriptor layer : app.layers) {
      assertThat(store.info(layer.digest()).labels())
          .containsEntry(SnapshotLabels.UNCOMPRESSED, layer.digest().toString());
    }
    assertThat(store.info(app.config.digest()).labels())
        .containsEntry("containerd.io/gc.ref.snapshot.memory", chain.get(2).toString());
    assertThat(images.get("docker.io/library/app:1")).map(Image::target).contains(app.manifest);
  }

  @Test
  void pullOfAnIndexFetchesOnlyThePreferredPlatformsManifestAndLayers() throws IOException {
    TestImages multi = TestImages.builder().platforms("linux/amd64", "linux/arm64/v8").build();
    remote.add("docker.io/library/multi:1", multi);

    UnpackedImage pulled = client.pull("multi:1", ctx().build());

    assertThat(pulled.config()).isEqualTo(multi.config("linux/amd64"));
    assertThat(remote.fetched())
        .containsExactlyInAnyOrderElementsOf(
            TestImagesDigests.of(
                multi.root(),
                multi.manifest("linux/amd64"),
                multi.config("linux/amd64"),
                multi.layers("linux/amd64")));
  }

  @Test
  void secondImageSharingBaseLayersNeitherFetchesNorAppliesThem() throws IOException {
    ImageSpec first =
        new ImageSpec().layers("base", "mid", "first").tag("docker.io/library/first:1");
    ImageSpec second =
        new ImageSpec().layers("base", "mid", "second").tag("docker.io/library/second:1");
    client.pull("first:1", ctx().build());

    UnpackedImage pulled = client.pull("second:1", ctx().build());

    assertThat(pulled.applied()).isEqualTo(1);
    assertThat(pulled.reused()).isEqualTo(2);
    assertThat(remote.fetchCount(first.layers.get(0).digest())).isEqualTo(1);
    assertThat(remote.fetchCount(first.layers.get(1).digest())).isEqualTo(1);
    assertThat(remote.fetchCount(second.layers.get(2).digest())).isEqualTo(1);
    assertThat(applies.get(first.layers.get(0).digest())).isEqualTo(1);
    assertThat(applies.get(first.layers.get(1).digest())).isEqualTo(1);
    assertThat(committed()).hasSize(4);
  }

  @Test
  void pullingAgainFetchesNoLayerAndAppliesNothing() throws IOException {
    ImageSpec app = new ImageSpec().layers("a", "b").tag("docker.io/library/app:1");
    client.pull("app:1", ctx().build());

    UnpackedImage again = client.pull("app:1", ctx().build());

    assertThat(again.applied()).isZero();
    assertThat(again.reused()).isEqualTo(2);
    assertThat(applies.values()).containsOnly(1);
    for (Descriptor layer : app.layers) {
      assertThat(remote.fetchCount(layer.digest())).isEqualTo(1);
    }
  }

  @Test
  void wrongDiffIdIsAMismatchNamingTheLayerAndCommitsNothingOfIt() throws IOException {
    ImageSpec bad = new ImageSpec().layers("base", "lying");
    Digest claimed = Digest.sha256("something else".getBytes());
    bad.diffIds.set(1, claimed.toString());
    bad.tag("docker.io/library/bad:1");
    Digest actual = bad.layers.get(1).digest();

    assertThatThrownBy(() -> client.pull("bad:1", ctx().build()))
        .isInstanceOfSatisfying(
            DigestMismatchException.class,
            e -> {
              assertThat(e.expected()).isEqualTo(claimed);
              assertThat(e.actual()).isEqualTo(actual);
            })
        .hasMessageContaining("layer 1")
        .hasMessageContaining(claimed.toString())
        .hasMessageContaining(actual.toString());
    assertThat(committed()).containsExactly(bad.layers.get(0).digest().toString());
    assertThat(snapshots()).hasSize(1);
    assertThat(images.get("docker.io/library/bad:1")).isEmpty();
  }

  @Test
  void moreLayersThanDiffIdsIsRefusedBeforeAnythingIsFetchedOrApplied() throws IOException {
    ImageSpec bad = new ImageSpec().layers("a", "b");
    bad.diffIds.remove(1);
    bad.tag("docker.io/library/bad:1");

    assertThatThrownBy(() -> client.pull("bad:1", ctx().build()))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("docker.io/library/bad:1")
        .hasMessageContaining("2 layers")
        .hasMessageContaining("1 rootfs.diff_ids");
    assertNothingUnpacked(bad);
  }

  @Test
  void rootfsTypeOtherThanLayersIsRefused() throws IOException {
    ImageSpec bad = new ImageSpec().layers("a");
    bad.rootfsType = "zfs";
    bad.tag("docker.io/library/bad:1");

    assertThatThrownBy(() -> client.pull("bad:1", ctx().build()))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("docker.io/library/bad:1")
        .hasMessageContaining("rootfs.type is \"zfs\"");
    assertNothingUnpacked(bad);
  }

  @Test
  void moreNonEmptyHistoryEntriesThanDiffIdsIsRefused() throws IOException {
    ImageSpec bad = new ImageSpec().layers("a");
    bad.history =
        List.of(
            Map.of("created_by", "one"), Map.of("created_by", "two"), Map.of("empty_layer", true));
    bad.tag("docker.io/library/bad:1");

    assertThatThrownBy(() -> client.pull("bad:1", ctx().build()))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("2 non-empty history entries");
    assertNothingUnpacked(bad);
  }

  @Test
  void emptyLayerHistoryEntriesAreNotCounted() throws IOException {
    ImageSpec ok = new ImageSpec().layers("a");
    ok.history =
        List.of(Map.of("created_by", "one"), Map.of("empty_layer", true, "created_by", "env"));
    ok.tag("docker.io/library/ok:1");

    assertThat(client.pull("ok:1", ctx().build()).applied()).isEqualTo(1);
  }

  @Test
  void commitThatFindsTheChainTakenUsesTheExistingSnapshot() throws IOException {
    ImageSpec app = new ImageSpec().layers("a").tag("docker.io/library/app:1");
    String chain = app.layers.get(0).digest().toString();
    client.close();
    // Another unpacker commits the chain between our check and our commit.
    dev.hoist.snapshots.Snapshotter racing =
        new ForwardingSnapshotter(snapshotter) {
          @Override
          public void commit(String name, String key, Map<String, String> labels)
              throws IOException {
            snapshotter.prepare("other", null, Map.of());
            snapshotter.commit(name, "other", Map.of());
            super.commit(name, key, labels);
          }
        };
    use(racing, hashingApplier);

    UnpackedImage pulled = client.pull("app:1", ctx().build());

    assertThat(pulled.chainId().toString()).isEqualTo(chain);
    assertThat(committed()).containsExactly(chain);
    assertThat(snapshots()).hasSize(1);
  }

  @Test
  void lowerLayersAreAppliedWhileUpperLayersAreStillDownloading() throws Exception {
    ImageSpec app = new ImageSpec().layers("base", "top").tag("docker.io/library/app:1");
    java.util.concurrent.CountDownLatch baseApplied = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.atomic.AtomicBoolean topWaitedForBase =
        new java.util.concurrent.atomic.AtomicBoolean();
    remote.onFetch(
        d -> {
          if (d.digest().equals(app.layers.get(1).digest())) {
            try {
              // Sequential fetch-then-unpack would never count this down: the wait times out.
              topWaitedForBase.set(baseApplied.await(30, java.util.concurrent.TimeUnit.SECONDS));
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        });
    use(
        snapshotter,
        (layer, provider, mounts) -> {
          Digest d = hashingApplier.apply(layer, provider, mounts);
          if (layer.digest().equals(app.layers.get(0).digest())) {
            baseApplied.countDown();
          }
          return d;
        });

    UnpackedImage pulled = client.pull("app:1", ctx().build());

    assertThat(pulled.applied()).isEqualTo(2);
    assertThat(topWaitedForBase).isTrue();
  }

  @Test
  void pullWithoutSnapshotterSaysWhatToAdd() {
    new ImageSpec().layers("a").tag("docker.io/library/app:1");
    Client fetchOnly = Client.builder().contentStore(store).build();

    assertThatThrownBy(() -> fetchOnly.pull("app:1", ctx().build()))
        .isInstanceOf(FailedPreconditionException.class)
        .hasMessageContaining("hoist-unpack")
        .hasMessageContaining("snapshotter");
    assertThat(remote.resolves()).isEmpty();
  }

  @Test
  void unpackOfAFetchedImageAppliesItsLayersAndRefusesMissingOnes() throws IOException {
    ImageSpec app = new ImageSpec().layers("a", "b").tag("docker.io/library/app:1");
    Image image = client.fetch("app:1", ctx().build());

    UnpackedImage unpacked =
        client.unpack(image, Platforms.only(Platforms.parse("linux/amd64")), null);

    assertThat(unpacked.applied()).isEqualTo(2);
    assertThat(unpacked.chainId()).isEqualTo(ChainIds.of(digests(app.layers)).get(1));

    ImageSpec partial = new ImageSpec().layers("c").tag("docker.io/library/partial:1");
    Image metadataOnly = client.fetch("partial:1", ctx().metadataOnly(true).build());
    assertThatThrownBy(
            () -> client.unpack(metadataOnly, Platforms.only(Platforms.parse("linux/amd64")), null))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining(partial.layers.get(0).digest().toString());
  }

  @Test
  void unpackingEventsReportEachLayerAppliedOrReused() throws IOException {
    new ImageSpec().layers("base", "one").tag("docker.io/library/one:1");
    new ImageSpec().layers("base", "two").tag("docker.io/library/two:1");
    client.pull("one:1", ctx().build());
    List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    ProgressListener listener =
        new ProgressListener() {
          @Override
          public void unpacking(Descriptor layer) {
            events.add("unpacking");
          }

          @Override
          public void unpacked(Descriptor layer, Digest chainId, boolean reused) {
            events.add(reused ? "reused" : "applied");
          }
        };

    client.pull("two:1", ctx().progress(listener).build());

    assertThat(events).containsExactly("reused", "unpacking", "applied");
  }

  private void assertNothingUnpacked(ImageSpec image) throws IOException {
    assertThat(snapshots()).isEmpty();
    assertThat(applies).isEmpty();
    for (Descriptor layer : image.layers) {
      assertThat(remote.fetchCount(layer.digest())).isZero();
    }
  }
}
