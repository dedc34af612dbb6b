package dev.hoist.gc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.client.Client;
import dev.hoist.client.RemoteContext;
import dev.hoist.content.ContentStore;
import dev.hoist.content.ContentWriter;
import dev.hoist.content.InMemoryContentStore;
import dev.hoist.digest.Digest;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.images.Image;
import dev.hoist.images.InMemoryImageStore;
import dev.hoist.platforms.Platforms;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.MediaTypes;
import dev.hoist.testing.TestImages;
import dev.hoist.testing.TestRemote;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link GarbageCollector} over the in-memory stores: containerd's rule, ingests, and fetches in
 * flight.
 */
@Timeout(30)
class GarbageCollectorTest {

  final TestImages a = TestImages.builder().sharedLayer().seed("a").build();
  // The same seed: b's two platforms are a's, blob for blob, under another index.
  final TestImages b =
      TestImages.builder()
          .platforms("linux/amd64", "linux/arm64/v8")
          .sharedLayer()
          .seed("a")
          .build();
  final TestRemote remote =
      new TestRemote().add("docker.io/library/a:1", a).add("docker.io/library/b:1", b);
  final InMemoryContentStore store = new InMemoryContentStore();
  final InMemoryImageStore images = new InMemoryImageStore();
  final Client client = Client.builder().contentStore(store).imageStore(images).build();
  final ExecutorService threads = Executors.newCachedThreadPool();

  @AfterEach
  void close() {
    client.close();
    threads.shutdownNow();
  }

  RemoteContext all() {
    return RemoteContext.builder().resolver(remote).platformMatcher(Platforms.all()).build();
  }

  Set<Digest> stored() throws IOException {
    Set<Digest> d = new HashSet<>();
    store.walk(i -> true, i -> d.add(i.digest()));
    return d;
  }

  @Test
  void removingOneOfTwoImagesSharingALayerCollectsOnlyWhatTheOtherDoesNotReach()
      throws IOException {
    client.fetch("a:1", all());
    client.fetch("b:1", all());
    Digest shared = a.layers("linux/amd64").get(0).digest();
    assertThat(b.layers("linux/amd64").get(0).digest()).isEqualTo(shared);

    images.deleteImage("docker.io/library/a:1");
    GcResult r = GarbageCollector.builder(store, images).build().collect();

    assertThat(stored()).isEqualTo(b.blobs().keySet()).contains(shared);
    Set<Digest> onlyA = new HashSet<>(a.blobs().keySet());
    onlyA.removeAll(b.blobs().keySet());
    assertThat(r.blobs()).containsExactlyInAnyOrderElementsOf(onlyA);
    assertThat(r.bytes()).isEqualTo(onlyA.stream().mapToLong(d -> a.blob(d).length).sum());
  }

  @Test
  void dryRunRemovesNothingButReportsTheSame() throws IOException {
    client.fetch("a:1", all());
    images.deleteImage("docker.io/library/a:1");

    GcResult dry = GarbageCollector.builder(store, images).build().dryRun();

    assertThat(dry.dryRun()).isTrue();
    assertThat(dry.blobs()).containsExactlyInAnyOrderElementsOf(a.blobs().keySet());
    assertThat(stored()).isEqualTo(a.blobs().keySet());
  }

  @Test
  void blobsReachedOnlyThroughGcLabelsAreKeptAndSnapshotReferencesAreReported() throws IOException {
    Descriptor root = put("root", Map.of());
    Descriptor child = put("child", Map.of());
    Descriptor grandchild = put("grandchild", Map.of());
    Descriptor orphan = put("orphan", Map.of());
    store.update(
        root.digest(),
        Map.of(
            "containerd.io/gc.ref.content.x",
            child.digest().toString(),
            "containerd.io/gc.ref.snapshot.overlayfs",
            "sha256:chain"));
    store.update(
        child.digest(),
        Map.of(
            "containerd.io/gc.ref.content.l.0",
            grandchild.digest().toString(),
            "containerd.io/gc.ref.content.bad",
            "not-a-digest"));
    images.create(Image.of("example.com/x:1", root));

    GcResult r = GarbageCollector.builder(store, images).build().collect();

    assertThat(r.blobs()).containsExactly(orphan.digest());
    assertThat(stored())
        .containsExactlyInAnyOrder(root.digest(), child.digest(), grandchild.digest());
    assertThat(r.marks().snapshots()).isEqualTo(Map.of("overlayfs", Set.of("sha256:chain")));
  }

  @Test
  void layersOfAManifestThatLostItsLabelsAreStillKept() throws IOException {
    client.fetch("a:1", all());
    for (Digest d : stored()) {
      Map<String, String> clear = new java.util.HashMap<>();
      store.info(d).labels().keySet().forEach(k -> clear.put(k, ""));
      store.update(d, clear); // as after an operating-system crash: labels gone, blobs intact
    }

    GcResult r = GarbageCollector.builder(store, images).build().collect();

    assertThat(r.blobs()).isEmpty();
    assertThat(stored()).isEqualTo(a.blobs().keySet());
  }

  @Test
  void aManifestReachedFirstThroughALabelStillHasItsLayersFollowedFromItsJson() throws IOException {
    client.fetch("a:1", all());
    Descriptor manifest = a.manifest("linux/amd64");
    for (Digest d : a.digestsOf("linux/amd64")) {
      Map<String, String> clear = new java.util.HashMap<>();
      store.info(d).labels().keySet().forEach(k -> clear.put(k, ""));
      store.update(d, clear); // the manifest lost its labels to its config and layers
    }
    // A root the walk visits first (names sort before a:1) whose label names the manifest by digest
    // only.
    Descriptor pointer = put("pointer", Map.of());
    store.update(
        pointer.digest(), Map.of("containerd.io/gc.ref.content.m", manifest.digest().toString()));
    images.create(Image.of("example.com/0-pointer:1", pointer));
    images.deleteImage("docker.io/library/a:1");
    images.create(Image.of("example.com/a:1", a.root()));

    GcResult r = GarbageCollector.builder(store, images).build().collect();

    assertThat(r.blobs()).isEmpty();
  }

  @Test
  void sweepersGetTheMarksAndRunAfterTheContentSweep() throws IOException {
    client.fetch("a:1", all());
    List<Object> seen = new java.util.ArrayList<>();

    GcResult r =
        GarbageCollector.builder(store, images)
            .sweeper(
                (marks, dryRun) -> {
                  seen.add(marks.content().size());
                  seen.add(dryRun);
                  return List.of("snapshot k");
                })
            .build()
            .collect();

    assertThat(seen).containsExactly(a.blobs().size(), false);
    assertThat(r.other()).containsExactly("snapshot k");
  }

  @Test
  void abandonedIngestsOlderThanTheAgeGoAndFreshOnesStay() throws IOException {
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    MutableClock clock = new MutableClock(t0);
    InMemoryContentStore timed = new InMemoryContentStore(clock);
    write(timed, "old");
    clock.now = t0.plus(Duration.ofHours(2));
    write(timed, "new");

    GcResult r =
        GarbageCollector.builder(timed, images)
            .clock(clock)
            .ingestAge(Duration.ofHours(1))
            .build()
            .collect();

    assertThat(r.ingests()).containsExactly("old");
    assertThat(timed.ingests()).extracting(s -> s.ref()).containsExactly("new");
  }

  @Test
  void negativeIngestAgeIsRefused() {
    assertThatThrownBy(
            () -> GarbageCollector.builder(store, images).ingestAge(Duration.ofSeconds(-1)))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("PT-1S");
  }

  @Test
  void collectionWaitsForAFetchInFlightAndKeepsEverythingItCommitted() throws Exception {
    CountDownLatch layerReached = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Digest lastLayer = a.layers("linux/amd64").get(1).digest();
    remote.onFetch(
        d -> {
          if (d.digest().equals(lastLayer)) {
            layerReached.countDown();
            await(release);
          }
        });
    RemoteContext ctx = RemoteContext.builder().resolver(remote).platforms("linux/amd64").build();
    Future<Image> fetch = threads.submit(() -> client.fetch("a:1", ctx));
    assertThat(layerReached.await(10, TimeUnit.SECONDS)).isTrue();
    CountDownLatch waiting = new CountDownLatch(1);

    Future<GcResult> gc =
        threads.submit(
            () ->
                GarbageCollector.builder(store, images)
                    .onWaiting(waiting::countDown)
                    .build()
                    .collect());
    assertThat(waiting.await(10, TimeUnit.SECONDS))
        .as("the collection waits for the fetch")
        .isTrue();
    assertThat(gc.isDone()).isFalse();
    release.countDown();

    fetch.get(10, TimeUnit.SECONDS);
    assertThat(gc.get(10, TimeUnit.SECONDS).blobs()).isEmpty();
    Set<Digest> expected = new HashSet<>(a.digestsOf("linux/amd64"));
    expected.add(a.root().digest());
    assertThat(stored()).isEqualTo(expected);
  }

  @Test
  void aFetchWaitingForACollectionIsCancelledByAnInterrupt() throws Exception {
    java.util.concurrent.atomic.AtomicReference<Throwable> thrown =
        new java.util.concurrent.atomic.AtomicReference<>();
    Thread fetcher;
    try (CollectionLock.Hold collecting = store.exclusive()) {
      fetcher =
          new Thread(
              () -> {
                try {
                  client.fetch("a:1", all());
                } catch (Throwable t) {
                  thrown.set(t);
                }
              });
      fetcher.start();
      // Wherever the interrupt finds the fetch, the wait for the lock ends with it.
      fetcher.interrupt();
      fetcher.join(10_000);
    }

    assertThat(fetcher.isAlive()).isFalse();
    assertThat(thrown.get()).isInstanceOf(java.util.concurrent.CancellationException.class);
    assertThat(stored()).isEmpty();
    assertThat(images.list()).isEmpty();
  }

  private static void await(CountDownLatch l) {
    try {
      l.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Descriptor put(String text, Map<String, String> labels) throws IOException {
    byte[] data = text.getBytes(StandardCharsets.UTF_8);
    Descriptor d = TestImages.descriptor(MediaTypes.OCI_LAYER, data);
    TestImages.commit(store, d, data);
    if (!labels.isEmpty()) {
      store.update(d.digest(), labels);
    }
    return d;
  }

  private static void write(ContentStore s, String ref) throws IOException {
    byte[] data = (ref + " bytes, more than written").getBytes(StandardCharsets.UTF_8);
    try (ContentWriter w = s.writer(ref, TestImages.descriptor(MediaTypes.OCI_LAYER, data))) {
      w.write(ByteBuffer.wrap(data, 0, 4));
    }
  }

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
