package dev.hoist.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.hoist.content.ContentInfo;
import dev.hoist.content.InMemoryContentStore;
import dev.hoist.digest.Digest;
import dev.hoist.errors.DigestMismatchException;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.errors.NotFoundException;
import dev.hoist.images.HandlerSignal;
import dev.hoist.images.Image;
import dev.hoist.images.InMemoryImageStore;
import dev.hoist.platforms.Platforms;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.Index;
import dev.hoist.spec.MediaTypes;
import dev.hoist.spec.OciJson;
import dev.hoist.spec.Platform;
import dev.hoist.testing.TestImages;
import dev.hoist.testing.TestRemote;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** End to end: an index → 3 manifests → configs and layers, fetched into memory. */
@Timeout(30)
class ClientFetchTest {

  private static final String REF = "docker.io/library/app:1";
  private static final String GC = "containerd.io/gc.ref.content.";
  private static final String SOURCE = "containerd.io/distribution.source.docker.io";

  private final TestImages image = TestImages.builder().build();
  private final TestRemote remote = new TestRemote().add(REF, image);
  private final InMemoryContentStore store = new InMemoryContentStore();
  private final InMemoryImageStore images = new InMemoryImageStore();
  private final Client client = Client.builder().contentStore(store).imageStore(images).build();
  private final ExecutorService pool = Executors.newFixedThreadPool(4);

  @AfterEach
  void close() {
    client.close();
    pool.shutdownNow();
  }

  private RemoteContext.Builder ctx() {
    return RemoteContext.builder().resolver(remote).executor(pool);
  }

  private Set<Digest> stored() throws IOException {
    Set<Digest> digests = new HashSet<>();
    store.walk(info -> true, info -> digests.add(info.digest()));
    return digests;
  }

  private Set<Digest> union(Set<Digest>... sets) {
    Set<Digest> all = new HashSet<>();
    Arrays.stream(sets).forEach(all::addAll);
    return all;
  }

  private Set<Digest> rootOnly() {
    return Set.of(image.root().digest());
  }

  private void assertFetchedOnce(Set<Digest> expected) throws IOException {
    assertThat(remote.fetched()).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(remote.fetchCounts().values()).containsOnly(1);
    assertThat(stored()).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void onePlatformFetchesTheIndexAndOnlyThatPlatformsBlobs() throws IOException {
    Image fetched = client.fetch(REF, ctx().platforms("linux/arm64/v8").build());

    assertFetchedOnce(union(rootOnly(), image.digestsOf("linux/arm64/v8")));
    assertThat(fetched.target()).isEqualTo(image.root());
  }

  @Test
  void allPlatformsFetchesEveryBlob() throws IOException {
    client.fetch(REF, ctx().platformMatcher(Platforms.all()).build());

    assertFetchedOnce(image.blobs().keySet());
  }

  @Test
  void allMetadataFetchesEveryManifestAndConfigButOnlyTheMatchingLayers() throws IOException {
    client.fetch(REF, ctx().platforms("linux/amd64").allMetadata(true).build());

    assertFetchedOnce(
        union(
            rootOnly(),
            image.digestsOf("linux/amd64"),
            image.metadataOf("linux/arm64/v8"),
            image.metadataOf("linux/arm/v7")));
  }

  @Test
  void metadataOnlyFetchesNoLayers() throws IOException {
    client.fetch(REF, ctx().platforms("linux/arm/v7").metadataOnly(true).build());

    assertFetchedOnce(union(rootOnly(), image.metadataOf("linux/arm/v7")));
  }

  @Test
  void metadataOnlyWithAllPlatformsFetchesEveryManifestAndConfig() throws IOException {
    client.fetch(REF, ctx().platformMatcher(Platforms.all()).metadataOnly(true).build());

    assertFetchedOnce(
        union(
            rootOnly(),
            image.metadataOf("linux/amd64"),
            image.metadataOf("linux/arm64/v8"),
            image.metadataOf("linux/arm/v7")));
  }

  @Test
  void platformWithoutAManifestFetchesOnlyTheIndex() throws IOException {
    client.fetch(REF, ctx().platforms("linux/s390x").build());

    assertFetchedOnce(rootOnly());
  }

  @Test
  void layerSharedByEveryPlatformIsFetchedOnce() throws IOException {
    TestImages shared = TestImages.builder().sharedLayer().seed("shared").build();
    remote.add("docker.io/library/shared:1", shared);

    client.fetch("shared:1", ctx().platformMatcher(Platforms.all()).build());

    assertFetchedOnce(shared.blobs().keySet());
  }

  @Test
  void secondFetchFindsEverythingInTheStoreAndDownloadsNothing() throws IOException {
    RemoteContext ctx = ctx().platforms("linux/amd64").build();
    client.fetch(REF, ctx);
    Map<Digest, Integer> before = remote.fetchCounts();
    List<String> events = new CopyOnWriteArrayList<>();

    client.fetch(REF, ctx().platforms("linux/amd64").progress(recorder(events)).build());

    assertThat(remote.fetchCounts()).isEqualTo(before);
    assertThat(events).filteredOn(e -> e.startsWith("exists ")).hasSize(5);
    assertThat(events).noneMatch(e -> e.startsWith("downloading "));
  }

  @Test
  void familiarReferenceIsNormalisedAndTheImageRecorded() throws IOException {
    Image fetched = client.fetch("app:1", ctx().label("team", "core").build());

    assertThat(remote.resolves()).containsExactly(REF);
    assertThat(fetched.name()).isEqualTo(REF);
    assertThat(fetched.labels()).containsOnly(entry("team", "core"));
    assertThat(images.get(REF)).contains(fetched);
    assertThat(fetched.createdAt()).isNotNull();
  }

  @Test
  void fetchingAgainUpdatesTheRecordedImage() throws IOException {
    client.fetch(REF, ctx().label("v", "1").build());

    Image second = client.fetch(REF, ctx().label("v", "2").build());

    assertThat(images.list()).hasSize(1);
    assertThat(images.get(REF).orElseThrow().labels()).containsOnly(entry("v", "2"));
    assertThat(second.labels()).containsOnly(entry("v", "2"));
  }

  @Test
  void gcAndDistributionSourceLabelsAreSet() throws IOException {
    client.fetch(REF, ctx().platforms("linux/amd64").build());

    List<Descriptor> ms = image.manifests();
    // The index references every manifest, fetched or not, as containerd does.
    assertThat(store.info(image.root().digest()).labels())
        .contains(
            entry(GC + "m.0", ms.get(0).digest().toString()),
            entry(GC + "m.1", ms.get(1).digest().toString()),
            entry(GC + "m.2", ms.get(2).digest().toString()));
    List<Descriptor> layers = image.layers("linux/amd64");
    assertThat(store.info(image.manifest("linux/amd64").digest()).labels())
        .contains(
            entry(GC + "config", image.config("linux/amd64").digest().toString()),
            entry(GC + "l.0", layers.get(0).digest().toString()),
            entry(GC + "l.1", layers.get(1).digest().toString()));
    List<ContentInfo> infos = new ArrayList<>();
    store.walk(info -> true, infos::add);
    assertThat(infos).hasSize(5).allSatisfy(
        info -> assertThat(info.labels()).containsEntry(SOURCE, "library/app"));
  }

  @Test
  void distributionSourceListsEveryRepositoryOnceSorted() throws IOException {
    remote.add("docker.io/aaa/mirror:1", image);
    client.fetch(REF, ctx().platforms("linux/amd64").build());
    client.fetch("aaa/mirror:1", ctx().platforms("linux/amd64").build());
    client.fetch(REF, ctx().platforms("linux/amd64").build());

    assertThat(store.info(image.root().digest()).labels())
        .containsEntry(SOURCE, "aaa/mirror,library/app");
  }

  @Test
  void childLabelMapReplacesTheGcLabels() throws IOException {
    client.fetch(
        REF,
        ctx().platforms("linux/amd64").childLabelMap(child -> List.of("example.com/ref.")).build());

    assertThat(store.info(image.root().digest()).labels())
        .containsOnlyKeys("example.com/ref.0", "example.com/ref.1", "example.com/ref.2", SOURCE);
  }

  @Test
  void progressReportsResolveThenEachBlobWaitingDownloadingDone() throws IOException {
    List<String> events = new CopyOnWriteArrayList<>();
    Map<Digest, Long> bytes = new ConcurrentHashMap<>();
    ProgressListener listener = recorder(events);
    ProgressListener counting =
        new ProgressListener() {
          @Override
          public void resolving(String ref) {
            listener.resolving(ref);
          }

          @Override
          public void resolved(String ref, Descriptor root) {
            listener.resolved(ref, root);
          }

          @Override
          public void waiting(Descriptor desc) {
            listener.waiting(desc);
          }

          @Override
          public void downloading(Descriptor desc, long resumeOffset) {
            listener.downloading(desc, resumeOffset);
          }

          @Override
          public void bytesTransferred(Descriptor desc, long count) {
            bytes.merge(desc.digest(), count, Long::sum);
          }

          @Override
          public void done(Descriptor desc) {
            listener.done(desc);
          }
        };

    client.fetch(REF, ctx().platforms("linux/amd64").progress(counting).build());

    assertThat(events.subList(0, 2))
        .containsExactly("resolving " + REF, "resolved " + REF + " " + image.root().digest());
    Set<Digest> expected = union(rootOnly(), image.digestsOf("linux/amd64"));
    assertThat(events).hasSize(2 + 3 * expected.size());
    for (Digest d : expected) {
      int waiting = events.indexOf("waiting " + d);
      int downloading = events.indexOf("downloading " + d + " 0");
      int done = events.indexOf("done " + d);
      assertThat(waiting).isGreaterThan(1);
      assertThat(downloading).isGreaterThan(waiting);
      assertThat(done).isGreaterThan(downloading);
      assertThat(bytes.get(d)).isEqualTo(image.blob(d).length);
    }
  }

  @Test
  void listenerThatThrowsDoesNotBreakTheFetch() throws IOException {
    ProgressListener hostile =
        new ProgressListener() {
          @Override
          public void resolving(String ref) {
            throw new IllegalStateException("listener bug");
          }

          @Override
          public void waiting(Descriptor desc) {
            throw new IllegalStateException("listener bug");
          }

          @Override
          public void done(Descriptor desc) {
            throw new IllegalStateException("listener bug");
          }
        };

    client.fetch(REF, ctx().platforms("linux/amd64").progress(hostile).build());

    assertThat(stored()).hasSize(5);
  }

  @Test
  void baseHandlersRunFirstAndTheWrapperSeesEveryDescriptor() throws IOException {
    List<Digest> wrapped = new CopyOnWriteArrayList<>();
    RemoteContext ctx =
        ctx()
            .platforms("linux/amd64")
            .baseHandler(
                desc -> {
                  if (MediaTypes.isLayer(desc.mediaType())) {
                    throw HandlerSignal.SKIP_CHILDREN; // later handlers, the fetch included, skip it
                  }
                  return List.of();
                })
            .handlerWrapper(
                inner ->
                    desc -> {
                      wrapped.add(desc.digest());
                      return inner.handle(desc);
                    })
            .build();

    client.fetch(REF, ctx);

    assertThat(remote.fetched())
        .containsExactlyInAnyOrderElementsOf(union(rootOnly(), image.metadataOf("linux/amd64")));
    assertThat(wrapped)
        .containsExactlyInAnyOrderElementsOf(union(rootOnly(), image.digestsOf("linux/amd64")));
  }

  @Test
  void defaultExecutorUsesNamedDaemonThreadsThatEndWithTheFetch() throws Exception {
    List<Thread> threads = new CopyOnWriteArrayList<>();
    RemoteContext ctx =
        RemoteContext.builder()
            .resolver(remote)
            .platformMatcher(Platforms.all())
            .handlerWrapper(
                inner ->
                    desc -> {
                      threads.add(Thread.currentThread());
                      return inner.handle(desc);
                    })
            .build();

    client.fetch(REF, ctx);

    assertThat(threads).isNotEmpty().allSatisfy(t -> {
      assertThat(t.getName()).startsWith("hoist-fetch-");
      assertThat(t.isDaemon()).isTrue();
    });
    for (Thread t : new HashSet<>(threads)) {
      t.join(10_000);
      assertThat(t.isAlive()).as("thread %s left running", t.getName()).isFalse();
    }
  }

  @Test
  void malformedReferenceIsRefusedBeforeResolving() {
    for (String bad : List.of("Upper/Case:1", "app:bad tag", "app@sha256:123", "", "http://x/y:1")) {
      assertThatThrownBy(() -> client.fetch(bad, ctx().build()))
          .as(bad)
          .isInstanceOf(InvalidArgumentException.class);
    }
    assertThat(remote.resolves()).isEmpty();
  }

  @Test
  void unknownTagIsNotFound() {
    assertThatThrownBy(() -> client.fetch("app:missing", ctx().build()))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("app:missing");
    assertThat(images.list()).isEmpty();
  }

  @Test
  void manifestOverTheSizeLimitIsRefusedBeforeDownload() throws IOException {
    byte[] big = new byte[(int) OciJson.DEFAULT_MAX_MANIFEST_BYTES + 1];
    Arrays.fill(big, (byte) ' ');
    Descriptor huge =
        TestImages.descriptor(MediaTypes.OCI_MANIFEST, big).withPlatform(Platform.of("linux", "amd64"));
    Descriptor index = indexOf(huge);
    remote.blob(big).tag("docker.io/library/huge:1", index);

    assertThatThrownBy(() -> client.fetch("huge:1", ctx().platforms("linux/amd64").build()))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining(huge.digest().toString());
    assertThat(remote.fetchCount(huge.digest())).isZero();
    assertThat(store.exists(huge.digest())).isFalse();
    assertThat(images.list()).isEmpty();
  }

  @Test
  void smallerManifestLimitIsAnOption() throws IOException {
    Descriptor manifest = image.manifest("linux/amd64");

    assertThatThrownBy(
            () ->
                client.fetch(
                    REF,
                    ctx().platforms("linux/amd64").maxManifestBytes(manifest.size() - 1).build()))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining(image.root().digest().toString());
  }

  @Test
  void manifestThatIsNotJsonFailsNamingItsDigest() throws IOException {
    byte[] junk = "this is not json".getBytes(StandardCharsets.UTF_8);
    Descriptor bad =
        TestImages.descriptor(MediaTypes.OCI_MANIFEST, junk).withPlatform(Platform.of("linux", "amd64"));
    remote.blob(junk).tag("docker.io/library/junk:1", indexOf(bad));

    assertThatThrownBy(() -> client.fetch("junk:1", ctx().platforms("linux/amd64").build()))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining(bad.digest().toString());
    assertThat(images.list()).isEmpty();
  }

  @Test
  void corruptedLayerFailsAndNothingOfItIsCommitted() throws IOException {
    Descriptor layer = image.layers("linux/amd64").get(1);
    remote.corrupt(layer.digest());

    assertThatThrownBy(() -> client.fetch(REF, ctx().platforms("linux/amd64").build()))
        .isInstanceOf(DigestMismatchException.class)
        .hasMessageContaining(layer.digest().toString());
    assertThat(store.exists(layer.digest())).isFalse();
    assertThat(images.list()).isEmpty();
  }

  @Test
  void remoteFailureIsUnavailable() {
    Descriptor config = image.config("linux/amd64");
    remote.failOn(config.digest(), new java.net.ConnectException("connection refused"));

    assertThatThrownBy(() -> client.fetch(REF, ctx().platforms("linux/amd64").build()))
        .isInstanceOf(dev.hoist.errors.UnavailableException.class);
  }

  @Test
  void closedClientRefusesToFetch() {
    client.close();

    assertThatThrownBy(() -> client.fetch(REF, ctx().build()))
        .isInstanceOf(IllegalStateException.class);
  }

  private Descriptor indexOf(Descriptor manifest) {
    byte[] json =
        OciJson.write(new Index(2, MediaTypes.OCI_INDEX, null, List.of(manifest), null, Map.of()));
    remote.blob(json);
    return TestImages.descriptor(MediaTypes.OCI_INDEX, json);
  }

  private static ProgressListener recorder(List<String> events) {
    return new ProgressListener() {
      @Override
      public void resolving(String ref) {
        events.add("resolving " + ref);
      }

      @Override
      public void resolved(String ref, Descriptor root) {
        events.add("resolved " + ref + " " + root.digest());
      }

      @Override
      public void waiting(Descriptor desc) {
        events.add("waiting " + desc.digest());
      }

      @Override
      public void downloading(Descriptor desc, long resumeOffset) {
        events.add("downloading " + desc.digest() + " " + resumeOffset);
      }

      @Override
      public void done(Descriptor desc) {
        events.add("done " + desc.digest());
      }

      @Override
      public void exists(Descriptor desc) {
        events.add("exists " + desc.digest());
      }

      @Override
      public void failed(Descriptor desc, Throwable error) {
        events.add("failed " + desc.digest());
      }
    };
  }
}
