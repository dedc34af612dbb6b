package dev.hoist.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.content.ContentProvider;
import dev.hoist.content.InMemoryContentStore;
import dev.hoist.digest.Digest;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.errors.NotFoundException;
import dev.hoist.errors.NotImplementedException;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.MediaTypes;
import dev.hoist.spec.OciJson;
import dev.hoist.testing.TestImages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HandlersTest {

  private final InMemoryContentStore store = new InMemoryContentStore();

  private static Descriptor d(String name) {
    return TestGraph.d(name);
  }

  @Test
  void allConcatenatesChildrenInHandlerOrder() throws IOException {
    Handler h =
        Handlers.all(desc -> List.of(d("a")), desc -> List.of(), desc -> List.of(d("b"), d("c")));

    assertThat(h.handle(d("root"))).containsExactly(d("a"), d("b"), d("c"));
  }

  @Test
  void stopEndsTheSequenceKeepingChildrenSoFar() throws IOException {
    List<String> called = new ArrayList<>();
    Handler h =
        Handlers.all(
            desc -> {
              called.add("first");
              return List.of(d("a"));
            },
            desc -> {
              called.add("stopper");
              throw HandlerSignal.STOP;
            },
            desc -> {
              called.add("never");
              return List.of(d("b"));
            });

    assertThat(h.handle(d("root"))).containsExactly(d("a"));
    assertThat(called).containsExactly("first", "stopper");
  }

  @Test
  void skipChildrenEndsTheSequenceAndIsPassedOn() {
    List<String> called = new ArrayList<>();
    Handler h =
        Handlers.all(
            desc -> {
              throw HandlerSignal.SKIP_CHILDREN;
            },
            desc -> {
              called.add("never");
              return List.of();
            });

    assertThatThrownBy(() -> h.handle(d("root"))).isSameAs(HandlerSignal.SKIP_CHILDREN);
    assertThat(called).isEmpty();
  }

  @Test
  void allPassesErrorsOnAndStopsThere() {
    List<String> called = new ArrayList<>();
    IOException boom = new IOException("boom");
    Handler h =
        Handlers.all(
            desc -> {
              throw boom;
            },
            desc -> {
              called.add("never");
              return List.of();
            });

    assertThatThrownBy(() -> h.handle(d("root"))).isSameAs(boom);
    assertThat(called).isEmpty();
  }

  @Test
  void childrenOfIndexAreItsManifestsAndOfManifestItsConfigThenLayers() throws IOException {
    TestImages image = TestImages.builder().build().commitAll(store);
    Handler children = Handlers.children(store);

    assertThat(children.handle(image.root())).containsExactlyElementsOf(image.manifests());
    Descriptor amd64 = image.manifest("linux/amd64");
    List<Descriptor> expected = new ArrayList<>();
    expected.add(image.config("linux/amd64"));
    expected.addAll(image.layers("linux/amd64"));
    assertThat(children.handle(amd64)).containsExactlyElementsOf(expected);
  }

  @Test
  void childrenUnderstandDockerMediaTypes() throws IOException {
    TestImages image = TestImages.builder().docker().build().commitAll(store);

    assertThat(image.root().mediaType()).isEqualTo(MediaTypes.DOCKER_MANIFEST_LIST);
    assertThat(Handlers.children(store).handle(image.root())).hasSize(3);
    assertThat(Handlers.children(store).handle(image.manifest("linux/arm/v7")))
        .first()
        .extracting(Descriptor::mediaType)
        .isEqualTo(MediaTypes.DOCKER_CONFIG);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        MediaTypes.OCI_CONFIG,
        MediaTypes.DOCKER_LAYER_GZIP,
        MediaTypes.OCI_LAYER_ZSTD,
        "application/vnd.in-toto+json",
        "text/plain"
      })
  void leavesAndUnknownTypesHaveNoChildrenAndAreNotRead(String mediaType) throws IOException {
    ContentProvider unreadable =
        desc -> {
          throw new AssertionError("must not read " + desc);
        };

    assertThat(Handlers.children(unreadable).handle(d("x").withMediaType(mediaType))).isEmpty();
  }

  @Test
  void manifestOverTheLimitIsRefusedNamingItsDigest() throws IOException {
    TestImages image = TestImages.builder().build().commitAll(store);
    Descriptor manifest = image.manifest("linux/amd64");

    assertThatThrownBy(() -> Handlers.children(store, manifest.size() - 1).handle(manifest))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining(manifest.digest().toString())
        .hasMessageContaining("limit");
    assertThat(Handlers.children(store, manifest.size()).handle(manifest)).isNotEmpty();
  }

  @Test
  void defaultLimitIsContainerdsFourMebibytesOfFourThousandBytes() throws IOException {
    byte[] big = new byte[(int) OciJson.DEFAULT_MAX_MANIFEST_BYTES + 1];
    Arrays.fill(big, (byte) ' ');
    big[0] = '{';
    big[big.length - 1] = '}';
    Descriptor desc =
        TestImages.commit(store, TestImages.descriptor(MediaTypes.OCI_MANIFEST, big), big);

    assertThat(OciJson.DEFAULT_MAX_MANIFEST_BYTES).isEqualTo(4_393_216L);
    assertThatThrownBy(() -> Handlers.children(store).handle(desc))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining(desc.digest().toString());
  }

  @Test
  void manifestThatIsNotJsonIsRefusedNamingItsDigest() throws IOException {
    byte[] junk = "<html>not json</html>".getBytes(StandardCharsets.UTF_8);
    Descriptor desc =
        TestImages.commit(store, TestImages.descriptor(MediaTypes.OCI_MANIFEST, junk), junk);

    assertThatThrownBy(() -> Handlers.children(store).handle(desc))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining(desc.digest().toString());
  }

  @Test
  void indexServedAsManifestIsRefused() throws IOException {
    TestImages image = TestImages.builder().build().commitAll(store);
    Descriptor lying = image.root().withMediaType(MediaTypes.OCI_MANIFEST);

    assertThatThrownBy(() -> Handlers.children(store).handle(lying))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining(lying.digest().toString())
        .hasMessageContaining(MediaTypes.OCI_INDEX);
  }

  @Test
  void manifestWithoutConfigIsRefused() throws IOException {
    byte[] json = "{\"schemaVersion\":2,\"layers\":[]}".getBytes(StandardCharsets.UTF_8);
    Descriptor desc =
        TestImages.commit(store, TestImages.descriptor(MediaTypes.OCI_MANIFEST, json), json);

    assertThatThrownBy(() -> Handlers.children(store).handle(desc))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("missing config");
  }

  @Test
  void schema1ManifestIsRefusedAsNotImplemented() throws IOException {
    byte[] json =
        "{\"schemaVersion\":1,\"name\":\"x\",\"fsLayers\":[]}".getBytes(StandardCharsets.UTF_8);
    Descriptor desc =
        TestImages.commit(store, TestImages.descriptor(MediaTypes.DOCKER_MANIFEST, json), json);

    assertThatThrownBy(() -> Handlers.children(store).handle(desc))
        .isInstanceOf(NotImplementedException.class)
        .hasMessageContaining("schema 1");
  }

  @Test
  void missingContentIsNotFound() {
    Descriptor absent = Descriptor.of(MediaTypes.OCI_INDEX, Digest.sha256("absent"), 10);

    assertThatThrownBy(() -> Handlers.children(store).handle(absent))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void nonPositiveLimitIsAProgrammerError() {
    assertThatThrownBy(() -> Handlers.children(store, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxManifestBytes");
  }

  @Test
  void skipLayersKeepsOnlyMetadataChildren() throws IOException {
    TestImages image = TestImages.builder().build().commitAll(store);

    assertThat(Handlers.skipLayers(Handlers.children(store)).handle(image.manifest("linux/amd64")))
        .containsExactly(image.config("linux/amd64"));
  }
}
