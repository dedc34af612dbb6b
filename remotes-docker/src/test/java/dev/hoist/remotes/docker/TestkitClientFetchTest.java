package dev.hoist.remotes.docker;

import static dev.hoist.remotes.docker.TestkitFetches.blobGets;
import static dev.hoist.remotes.docker.TestkitFetches.stored;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.client.Client;
import dev.hoist.client.RemoteContext;
import dev.hoist.content.Blobs;
import dev.hoist.content.ContentWriter;
import dev.hoist.content.InMemoryContentStore;
import dev.hoist.content.IngestRefs;
import dev.hoist.digest.Digest;
import dev.hoist.errors.DigestMismatchException;
import dev.hoist.images.Image;
import dev.hoist.images.InMemoryImageStore;
import dev.hoist.platforms.Platforms;
import dev.hoist.spec.Descriptor;
import dev.hoist.testkit.Fault;
import dev.hoist.testkit.FaultRule;
import dev.hoist.testkit.GeneratedImages;
import dev.hoist.testkit.ImageSpec;
import dev.hoist.testkit.LoggedRequest;
import dev.hoist.testkit.TestImage;
import dev.hoist.testkit.TestRegistry;
import dev.hoist.testkit.TestRegistryExtension;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code Client.fetch} through {@link DockerResolver} from the in-process testkit registry, with
 * exact assertions on the requests it made. The real registry ITs ({@link ClientFetchRegistryIT})
 * give end-to-end confidence; these pin down request counts and the handling of precise faults.
 */
@Timeout(60)
class TestkitClientFetchTest {

  @RegisterExtension static final TestRegistryExtension REGISTRY = new TestRegistryExtension();

  /** Two platforms, two 64 KiB layers each: index, 2 manifests, 2 configs, 4 layers. */
  static final TestImage MULTI =
      GeneratedImages.random(
          ImageSpec.builder()
              .platforms("linux/amd64", "linux/arm64/v8")
              .layers(2, 64 * 1024)
              .seed(7)
              .build());

  /** One platform, one 1 MiB layer: big enough to be cut mid-body. */
  static final TestImage BIG =
      GeneratedImages.random(ImageSpec.builder().layers(1, 1 << 20).seed(8).build());

  static final long DROP_AT = 300_000;

  final RecordingSleeper sleeper = new RecordingSleeper();
  final InMemoryContentStore store = new InMemoryContentStore();
  final InMemoryImageStore images = new InMemoryImageStore();
  final Client client = Client.builder().contentStore(store).imageStore(images).build();

  @BeforeAll
  static void push() {
    REGISTRY.registry().push("tk/multi:1", MULTI);
    REGISTRY.registry().push("tk/big:1", BIG);
  }

  @AfterEach
  void closeClient() {
    client.close();
  }

  static TestRegistry registry() {
    return REGISTRY.registry();
  }

  RemoteContext.Builder ctx() {
    return RemoteContext.builder().resolver(TestkitFetches.resolver(sleeper));
  }

  static Descriptor bigLayer() {
    return BIG.layers().get(0);
  }

  @Test
  void multiPlatformFetchMakesOneResolveRequestAndOneGetPerBlob() throws Exception {
    Image image =
        client.fetch(
            registry().reference("tk/multi:1"), ctx().platformMatcher(Platforms.all()).build());

    List<LoggedRequest> log = registry().requestLog().entries();
    assertThat(image.target()).isEqualTo(MULTI.root());
    assertThat(stored(store)).isEqualTo(MULTI.blobs().keySet());
    assertThat(log).hasSize(1 + MULTI.blobs().size());
    assertThat(registry().requestLog().matching("HEAD", ""))
        .singleElement()
        .satisfies(r -> assertThat(r.path()).isEqualTo("/v2/tk/multi/manifests/1"));
    List<String> gets = new ArrayList<>();
    registry().requestLog().matching("GET", "").forEach(r -> gets.add(r.path()));
    Set<String> expected = new HashSet<>();
    expected.add("/v2/tk/multi/manifests/" + MULTI.root().digest());
    MULTI.manifests().forEach(m -> expected.add("/v2/tk/multi/manifests/" + m.digest()));
    MULTI.configs().forEach(c -> expected.add("/v2/tk/multi/blobs/" + c.digest()));
    MULTI.layers().forEach(l -> expected.add("/v2/tk/multi/blobs/" + l.digest()));
    assertThat(gets).hasSize(MULTI.blobs().size()).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(log).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
    assertThat(registry().requestLog().totalBytesSent())
        .isEqualTo(MULTI.totalSize()); // no byte twice
    assertThat(sleeper.waits).isEmpty();
  }

  @Test
  void onePlatformOfAnIndexTouchesOnlyThatPlatformsBlobs() throws Exception {
    client.fetch(registry().reference("tk/multi:1"), ctx().platforms("linux/arm64/v8").build());

    Set<Digest> arm = new HashSet<>();
    arm.add(MULTI.root().digest());
    arm.add(MULTI.manifests().get(1).digest());
    arm.add(MULTI.configs().get(1).digest());
    arm.add(MULTI.layers().get(2).digest());
    arm.add(MULTI.layers().get(3).digest());
    assertThat(stored(store)).isEqualTo(arm);
    assertThat(registry().requestLog().matching("HEAD", "")).hasSize(1);
    assertThat(registry().requestLog().matching("GET", "")).hasSize(arm.size());
  }

  @Test
  void aConnectionDroppedMidBlobResumesWithARangeAndCompletes() throws Exception {
    Descriptor layer = bigLayer();
    registry()
        .faults()
        .add(
            FaultRule.on("GET", "/blobs/" + layer.digest())
                .first(1)
                .inject(Fault.dropAfter(DROP_AT)));

    Image image = client.fetch(registry().reference("tk/big:1"), ctx().build());

    assertThat(image.target()).isEqualTo(BIG.root());
    assertThat(Blobs.readAll(store, layer)).isEqualTo(BIG.bytes(layer));
    List<LoggedRequest> gets = blobGets(registry(), layer.digest());
    assertThat(gets).hasSize(2);
    LoggedRequest dropped = gets.get(0);
    LoggedRequest resumed = gets.get(1);
    assertThat(dropped.header("Range")).isNull();
    assertThat(dropped.bytesSent()).isEqualTo(DROP_AT);
    assertThat(resumed.header("Range")).isEqualTo("bytes=" + DROP_AT + "-");
    assertThat(resumed.status()).isEqualTo(206);
    assertThat(dropped.bytesSent() + resumed.bytesSent())
        .isLessThanOrEqualTo(layer.size() + DROP_AT)
        .isEqualTo(layer.size()); // nothing sent twice
    assertThat(sleeper.waits).as("a resume is not a backoff").isEmpty();
  }

  @Test
  void aServerIgnoringRangeOnResumeStillYieldsTheRightBlob() throws Exception {
    Descriptor layer = bigLayer();
    registry()
        .faults()
        .add(
            FaultRule.on("GET", "/blobs/" + layer.digest())
                .first(1)
                .inject(Fault.dropAfter(DROP_AT)));
    registry().faults().add("GET", "/blobs/" + layer.digest(), Fault.ignoreRange());

    client.fetch(registry().reference("tk/big:1"), ctx().build());

    assertThat(Blobs.readAll(store, layer)).isEqualTo(BIG.bytes(layer));
    List<LoggedRequest> gets = blobGets(registry(), layer.digest());
    assertThat(gets).hasSize(2);
    assertThat(gets.get(1).header("Range")).isEqualTo("bytes=" + DROP_AT + "-");
    assertThat(gets.get(1).status()).isEqualTo(200);
    assertThat(gets.get(1).bytesSent())
        .isEqualTo(layer.size()); // whole body; the client skipped the prefix
  }

  @Test
  void aPartialIngestIsResumedFromAServerIgnoringRange() throws Exception {
    Descriptor layer = bigLayer();
    byte[] bytes = BIG.bytes(layer);
    try (ContentWriter w = store.writer(IngestRefs.of(layer), layer)) {
      w.write(ByteBuffer.wrap(bytes, 0, (int) DROP_AT));
    } // closed without commit: the ingest stays, resumable
    registry().faults().add("GET", "/blobs/" + layer.digest(), Fault.ignoreRange());

    client.fetch(registry().reference("tk/big:1"), ctx().build());

    assertThat(Blobs.readAll(store, layer)).isEqualTo(bytes);
    assertThat(blobGets(registry(), layer.digest()))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.header("Range")).isEqualTo("bytes=" + DROP_AT + "-");
              assertThat(r.status()).isEqualTo(200);
            });
  }

  @Test
  void aBodyCutShortByALyingContentLengthIsCompletedWithARange() throws Exception {
    Descriptor layer = bigLayer();
    registry()
        .faults()
        .add(
            FaultRule.on("GET", "/blobs/" + layer.digest())
                .first(1)
                .inject(Fault.contentLength(DROP_AT)));

    client.fetch(registry().reference("tk/big:1"), ctx().build());

    assertThat(Blobs.readAll(store, layer)).isEqualTo(BIG.bytes(layer));
    assertThat(blobGets(registry(), layer.digest()))
        .extracting(r -> r.status() + " " + r.header("Range") + " " + r.bytesSent())
        .containsExactly(
            "200 null " + DROP_AT, "206 bytes=" + DROP_AT + "- " + (layer.size() - DROP_AT));
  }

  @Test
  void aCorruptedByteFailsWithDigestMismatchCommitsNothingAndRecordsNoImage() throws Exception {
    Descriptor layer = bigLayer();
    registry().faults().add("GET", "/blobs/" + layer.digest(), Fault.corruptByte(12_345));
    String ref = registry().reference("tk/big:1");

    assertThatThrownBy(() -> client.fetch(ref, ctx().build()))
        .isInstanceOf(DigestMismatchException.class)
        .satisfies(
            e -> assertThat(((DigestMismatchException) e).expected()).isEqualTo(layer.digest()));

    assertThat(stored(store)).doesNotContain(layer.digest());
    assertThat(store.ingests())
        .as("the bad bytes are not kept for a resume")
        .allSatisfy(s -> assertThat(s.offset()).isZero());
    assertThat(images.list()).isEmpty();
  }
}
