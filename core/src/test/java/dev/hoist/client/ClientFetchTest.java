package dev.hoist.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.digest.Digest;
import dev.hoist.errors.NotFoundException;
import dev.hoist.images.Image;
import dev.hoist.platforms.Platforms;
import dev.hoist.spec.MediaTypes;
import dev.hoist.spec.Platform;
import dev.hoist.testing.TestImages;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** End to end: exactly which blobs each fetch mode downloads, and how. */
@Timeout(30)
class ClientFetchTest extends FetchFixture {

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
  void metadataOnlyFetchesTheIndexEveryManifestAndEveryConfigAndNoLayerWhateverThePlatform()
      throws IOException {
    client.fetch(REF, ctx().platforms("linux/arm/v7").metadataOnly(true).build());

    // As ctr --metadata-only: all metadata with a matcher that matches nothing.
    assertFetchedOnce(
        union(
            rootOnly(),
            image.metadataOf("linux/amd64"),
            image.metadataOf("linux/arm64/v8"),
            image.metadataOf("linux/arm/v7")));
  }

  @Test
  void metadataOnlyWithAllMetadataIsAccepted() throws IOException {
    client.fetch(REF, ctx().metadataOnly(true).allMetadata(true).build());

    assertThat(stored())
        .hasSize(7)
        .doesNotContainAnyElementsOf(
            image.layers("linux/amd64").stream().map(dev.hoist.spec.Descriptor::digest).toList());
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
  void platformWithoutAManifestFailsNamingWantedAndOfferedPlatformsAndRecordsNoImage() {
    assertThatThrownBy(() -> client.fetch(REF, ctx().platforms("linux/s390x").build()))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("linux/s390x")
        .hasMessageContaining("linux/amd64, linux/arm64/v8, linux/arm/v7")
        .hasMessageContaining(image.root().digest().toString());

    assertThat(images.list()).isEmpty();
    assertThat(remote.fetched()).containsExactly(image.root().digest());
  }

  @Test
  void theNoMatchErrorListsAtMostSixteenOfferedPlatforms() {
    String[] many = new String[20];
    for (int i = 0; i < many.length; i++) {
      many[i] = "linux/arch" + i;
    }
    remote.add(
        "docker.io/library/many:1",
        TestImages.builder().platforms(many).layersPerManifest(1).seed("many").build());

    assertThatThrownBy(() -> client.fetch("many:1", ctx().platforms("linux/s390x").build()))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("linux/arch15 and 4 more")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("linux/arch16"));
  }

  @Test
  void platformWithoutAManifestAndAllMetadataFetchesEveryManifestAndConfigAsCtr()
      throws IOException {
    client.fetch(REF, ctx().platforms("linux/s390x").allMetadata(true).build());

    assertThat(stored()).hasSize(7);
    assertThat(images.list()).hasSize(1);
  }

  @Test
  void limitManifestsOneWithTheCompatibilityVectorFetchesOnlyTheBestMatchAsContainerdsPull()
      throws IOException {
    TestImages both =
        TestImages.builder().platforms("linux/386", "linux/amd64").seed("both").build();
    remote.add("docker.io/library/both:1", both);

    client.fetch(
        "both:1",
        ctx()
            .platformMatcher(Platforms.only(Platforms.parse("linux/amd64")))
            .limitManifests(1)
            .build());

    assertFetchedOnce(union(Set.of(both.root().digest()), both.digestsOf("linux/amd64")));
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

    assertThat(threads)
        .isNotEmpty()
        .allSatisfy(
            t -> {
              assertThat(t.getName()).startsWith("hoist-fetch-");
              assertThat(t.isDaemon()).isTrue();
            });
    for (Thread t : new HashSet<>(threads)) {
      t.join(10_000);
      assertThat(t.isAlive()).as("thread %s left running", t.getName()).isFalse();
    }
  }

  @Test
  void maxConcurrentDownloadsBoundsTheHandlersInFlight() throws IOException {
    int limit = 2;
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger max = new AtomicInteger();
    // Layers meet in pairs, so the fetch must reach the limit to finish; any third handler
    // entering at the same time would raise the maximum above it.
    CyclicBarrier layersMeet = new CyclicBarrier(limit);
    RemoteContext ctx =
        ctx()
            .platformMatcher(Platforms.all())
            .maxConcurrentDownloads(limit)
            .handlerWrapper(
                inner ->
                    desc -> {
                      max.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                      try {
                        if (MediaTypes.isLayer(desc.mediaType())) {
                          layersMeet.await(10, TimeUnit.SECONDS);
                        }
                        return inner.handle(desc);
                      } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
                        throw new IOException(e);
                      } finally {
                        inFlight.decrementAndGet();
                      }
                    })
            .build();

    client.fetch(REF, ctx);

    assertThat(max.get()).isEqualTo(limit);
    assertFetchedOnce(image.blobs().keySet());
  }

  @Test
  void defaultFetchesExactlyTheHostPlatformNotWhatItCanAlsoRunAsCtr() throws IOException {
    Platform host = Platforms.normalize(Platforms.defaultPlatform());
    // The host's own platform plus one it could also run (386 on amd64, arm/v7 on arm64): only
    // the first is fetched, as ctr content fetch without --platform.
    String own = Platforms.format(host);
    String also = host.architecture().equals("arm64") ? "linux/arm/v7" : "linux/386";
    TestImages hostImage =
        TestImages.builder().platforms(own, also, "linux/s390x").seed("host").build();
    remote.add("docker.io/library/host:1", hostImage);

    client.fetch("host:1", ctx().build());

    assertFetchedOnce(union(Set.of(hostImage.root().digest()), hostImage.digestsOf(own)));
  }

  @Test
  void dockerSchema2ImageIsFetchedTheSameWay() throws IOException {
    TestImages docker = TestImages.builder().docker().seed("docker").build();
    remote.add("docker.io/library/dockerimg:1", docker);

    client.fetch("dockerimg:1", ctx().platforms("linux/arm64/v8").build());

    Set<Digest> expected =
        union(Set.of(docker.root().digest()), docker.digestsOf("linux/arm64/v8"));
    assertFetchedOnce(expected);
  }

  @Test
  void imageWithoutIndexFetchesItsManifestConfigAndLayers() throws IOException {
    TestImages single =
        TestImages.builder().platforms("linux/arm/v7").noIndex().seed("single").build();
    remote.add("docker.io/library/single:1", single);

    // The root manifest carries no platform, so no platform filter applies to it.
    client.fetch("single:1", ctx().platforms("linux/amd64").build());

    assertFetchedOnce(single.digestsOf("linux/arm/v7"));
  }
}
