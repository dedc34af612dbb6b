package dev.hoist.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.hoist.content.InMemoryContentStore;
import dev.hoist.errors.NotFoundException;
import dev.hoist.platforms.MatchComparer;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.MediaTypes;
import dev.hoist.spec.Platform;
import dev.hoist.testing.TestImages;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HandlerDecoratorsTest {

  private static final Platform AMD64 = Platform.of("linux", "amd64");
  private static final Platform ARM64 = Platform.of("linux", "arm64", "v8");
  private static final Platform ARMV7 = Platform.of("linux", "arm", "v7");
  private static final String GC = "containerd.io/gc.ref.content.";

  private final InMemoryContentStore store = new InMemoryContentStore();

  private static Descriptor d(String name, Platform p) {
    return TestGraph.d(name).withMediaType(MediaTypes.OCI_MANIFEST).withPlatform(p);
  }

  private static Handler returning(List<Descriptor> children) {
    return desc -> children;
  }

  private static final Descriptor INDEX = TestGraph.d("index").withMediaType(MediaTypes.OCI_INDEX);

  @Test
  void filterPlatformsKeepsUnplatformedAndMatchingChildren() throws IOException {
    Descriptor amd = d("amd", AMD64);
    Descriptor arm = d("arm", ARM64);
    Descriptor none = d("none", null);

    List<Descriptor> kept =
        returning(List.of(amd, arm, none))
            .filterPlatforms(TestMatchers.ordered(ARM64))
            .handle(INDEX);

    assertThat(kept).containsExactly(arm, none);
  }

  @Test
  void filterManifestsByPlatformKeepsOnlyTheConfigOfAnUnwantedManifest() throws IOException {
    TestImages image = TestImages.builder().build().commitAll(store);
    Handler h = Handlers.children(store).filterManifestsByPlatform(TestMatchers.ordered(AMD64));

    assertThat(h.handle(image.manifest("linux/arm64/v8")))
        .containsExactly(image.config("linux/arm64/v8"));
    assertThat(h.handle(image.manifest("linux/amd64")))
        .hasSize(3)
        .containsAll(image.layers("linux/amd64"));
    // The index keeps every manifest: all metadata is wanted.
    assertThat(h.handle(image.root())).containsExactlyElementsOf(image.manifests());
    // A manifest reached without a platform (the root of a single-platform image) keeps all.
    assertThat(h.handle(image.manifest("linux/arm64/v8").withPlatform(null))).hasSize(3);
  }

  @Test
  void limitManifestsOrdersByPreferenceStablyWithUnplatformedLast() throws IOException {
    Descriptor none = d("none", null);
    Descriptor armA = d("armA", ARMV7);
    Descriptor amd = d("amd", AMD64);
    Descriptor armB = d("armB", ARMV7);
    Descriptor arm64 = d("arm64", ARM64);
    MatchComparer prefs = TestMatchers.ordered(AMD64, ARMV7, ARM64);

    List<Descriptor> all =
        returning(List.of(none, armA, amd, armB, arm64)).limitManifests(prefs, 0).handle(INDEX);
    List<Descriptor> two =
        returning(List.of(none, armA, amd, armB, arm64)).limitManifests(prefs, 2).handle(INDEX);

    assertThat(all).containsExactly(amd, armA, armB, arm64, none);
    assertThat(two).containsExactly(amd, armA);
  }

  @Test
  void limitManifestsLeavesNonIndexDescriptorsAlone() throws IOException {
    Descriptor manifest = d("m", null);
    List<Descriptor> children = List.of(d("b", ARM64), d("a", AMD64));

    assertThat(returning(children).limitManifests(TestMatchers.ordered(AMD64), 1).handle(manifest))
        .containsExactlyElementsOf(children);
  }

  @Test
  void limitManifestsWithNothingMatchingIsNotFoundNamingTheWantedPlatform() throws IOException {
    MatchComparer s390x = TestMatchers.ordered(Platform.of("linux", "s390x"));
    Handler h = returning(List.of(d("amd", AMD64))).filterPlatforms(s390x).limitManifests(s390x, 1);

    assertThatThrownBy(() -> h.handle(INDEX))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining(INDEX.digest().toString())
        .hasMessageContaining("linux/s390x");
    // Without a limit an empty choice is not an error, as containerd's Fetch.
    assertThat(returning(List.of()).limitManifests(s390x, 0).handle(INDEX)).isEmpty();
  }

  @Test
  void setChildrenLabelsWritesContainerdGcLabelsOnTheParent() throws IOException {
    TestImages image = TestImages.builder().build().commitAll(store);
    Handler h = Handlers.children(store).setChildrenLabels(store);

    h.handle(image.root());
    h.handle(image.manifest("linux/amd64"));

    List<Descriptor> ms = image.manifests();
    assertThat(store.info(image.root().digest()).labels())
        .containsOnly(
            entry(GC + "m.0", ms.get(0).digest().toString()),
            entry(GC + "m.1", ms.get(1).digest().toString()),
            entry(GC + "m.2", ms.get(2).digest().toString()));
    List<Descriptor> layers = image.layers("linux/amd64");
    assertThat(store.info(image.manifest("linux/amd64").digest()).labels())
        .containsOnly(
            entry(GC + "config", image.config("linux/amd64").digest().toString()),
            entry(GC + "l.0", layers.get(0).digest().toString()),
            entry(GC + "l.1", layers.get(1).digest().toString()));
  }

  @Test
  void labelsAreNumberedPerKeyAsContainerdNumbersThem() {
    Descriptor config1 = TestGraph.d("c1").withMediaType(MediaTypes.OCI_CONFIG);
    Descriptor config2 = TestGraph.d("c2").withMediaType(MediaTypes.OCI_CONFIG);
    Descriptor other = TestGraph.d("o").withMediaType("application/vnd.in-toto+json");

    Map<String, String> labels =
        dev.hoist.images.internal.SetChildrenLabelsHandler.labels(
            List.of(config1, other, config2), ChildLabelMap.gcLabels());

    assertThat(labels)
        .containsOnly(
            entry(GC + "config", config1.digest().toString()),
            entry(GC + "0", other.digest().toString()),
            entry(GC + "config1", config2.digest().toString()));
  }

  @Test
  void customLabelMapChoosesTheKeysAndFilterLayersSkipsLayers() throws IOException {
    TestImages image = TestImages.builder().platforms("linux/amd64").build().commitAll(store);
    Descriptor manifest = image.manifest("linux/amd64");

    Handlers.children(store)
        .setChildrenMappedLabels(store, ChildLabelMap.gcLabelsFilterLayers())
        .handle(manifest);

    assertThat(store.info(manifest.digest()).labels())
        .containsOnly(entry(GC + "config", image.config("linux/amd64").digest().toString()));

    Handlers.children(store)
        .setChildrenMappedLabels(store, child -> List.of("example.com/child."))
        .handle(image.root());
    assertThat(store.info(image.root().digest()).labels())
        .containsOnly(entry("example.com/child.0", manifest.digest().toString()));
  }

  @Test
  void noChildrenMeansNoLabelUpdate() throws IOException {
    TestImages image = TestImages.builder().platforms("linux/amd64").build().commitAll(store);
    Descriptor layer = image.layers("linux/amd64").get(0);

    assertThat(Handlers.children(store).setChildrenLabels(store).handle(layer)).isEmpty();
    assertThat(store.info(layer.digest()).labels()).isEmpty();
  }

  @Test
  void setChildrenLabelsOnAMissingParentIsNotFound() {
    Handler h = returning(List.of(d("child", null))).setChildrenLabels(store);

    assertThatThrownBy(() -> h.handle(INDEX)).isInstanceOf(NotFoundException.class);
  }

  @Test
  void decoratorsRefuseNullChildrenFromTheWrappedHandler() {
    Handler h = ((Handler) desc -> null).filterPlatforms(p -> true);

    assertThatThrownBy(() -> h.handle(INDEX))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("null children");
  }

  @Test
  void filterChildrenKeepsWhatThePredicateAccepts() throws IOException {
    Descriptor a = d("a", null);
    Descriptor b = d("b", null);

    assertThat(returning(List.of(a, b)).filterChildren(x -> x.equals(b)).handle(INDEX))
        .containsExactly(b);
  }
}
