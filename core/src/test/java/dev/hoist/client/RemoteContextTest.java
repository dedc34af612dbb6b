package dev.hoist.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.content.InMemoryContentStore;
import dev.hoist.errors.FailedPreconditionException;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.images.ChildLabelMap;
import dev.hoist.images.ImageStore;
import dev.hoist.images.InMemoryImageStore;
import dev.hoist.platforms.Platforms;
import dev.hoist.spec.OciJson;
import dev.hoist.spec.Platform;
import dev.hoist.testing.TestRemote;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RemoteContextTest {

  private final TestRemote remote = new TestRemote();

  @Test
  void defaultsAreContainerdsAndTheHostPlatform() {
    RemoteContext ctx = RemoteContext.builder().resolver(remote).build();

    assertThat(ctx.maxConcurrentDownloads()).isEqualTo(8);
    assertThat(ctx.maxManifestBytes()).isEqualTo(OciJson.DEFAULT_MAX_MANIFEST_BYTES);
    assertThat(ctx.executor()).isEmpty();
    assertThat(ctx.allMetadata()).isFalse();
    assertThat(ctx.metadataOnly()).isFalse();
    assertThat(ctx.labels()).isEmpty();
    assertThat(ctx.baseHandlers()).isEmpty();
    assertThat(ctx.progress()).isSameAs(ProgressListener.NONE);
    assertThat(ctx.platformMatcher().match(Platforms.defaultPlatform())).isTrue();
    assertThat(ctx.platformMatcher().match(Platform.of("plan9", "mips"))).isFalse();
  }

  @Test
  void platformStringsAreParsedAndPreferredInOrder() {
    RemoteContext ctx =
        RemoteContext.builder().resolver(remote).platforms("linux/arm64", "linux/amd64").build();

    Platform arm64 = Platforms.parse("linux/arm64");
    Platform amd64 = Platforms.parse("linux/amd64");
    assertThat(ctx.platforms()).containsExactly(arm64, amd64);
    assertThat(ctx.platformMatcher().match(amd64)).isTrue();
    assertThat(ctx.platformMatcher().compare(arm64, amd64)).isNegative();
    assertThat(ctx.platformMatcher().match(Platforms.parse("windows/amd64"))).isFalse();
  }

  @Test
  void platformsAndPlatformMatcherConflict() {
    assertThatThrownBy(
            () -> RemoteContext.builder().platforms("linux/amd64").platformMatcher(Platforms.all()))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(
            () -> RemoteContext.builder().platformMatcher(Platforms.all()).platforms("linux/amd64"))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void badOptionsAreRefusedWhenSet() {
    RemoteContext.Builder b = RemoteContext.builder();

    assertThatThrownBy(() -> b.maxConcurrentDownloads(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.maxManifestBytes(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.platforms("not a platform!"))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("not a platform!");
    assertThatThrownBy(() -> b.platforms()).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.resolver(remote).resolver(remote))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void withoutResolverOrProviderBuildNamesTheArtifactToAdd() {
    assertThatThrownBy(() -> RemoteContext.builder().build())
        .isInstanceOf(FailedPreconditionException.class)
        .hasMessageContaining("dev.hoist:hoist-remotes-docker");
  }

  @Test
  void contextIsImmutable() {
    RemoteContext.Builder b = RemoteContext.builder().resolver(remote).label("a", "1");
    RemoteContext ctx = b.build();
    b.label("b", "2").baseHandler(desc -> java.util.List.of());

    assertThat(ctx.labels()).isEqualTo(Map.of("a", "1"));
    assertThat(ctx.baseHandlers()).isEmpty();
    assertThatThrownBy(() -> ctx.labels().put("c", "3"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(ctx.childLabelMap()).isNotNull();
    assertThat(
            RemoteContext.builder()
                .resolver(remote)
                .childLabelMap(ChildLabelMap.gcLabelsFilterLayers())
                .build()
                .childLabelMap())
        .isNotNull();
  }

  @Test
  void clientNeedsAContentStoreAndFindsAnImageStore() {
    assertThatThrownBy(() -> Client.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("contentStore");
    InMemoryContentStore store = new InMemoryContentStore();
    ImageStore images = new InMemoryImageStore();

    assertThat(Client.builder().contentStore(store).build().imageStore())
        .isInstanceOf(InMemoryImageStore.class);
    assertThat(Client.builder().contentStore(store).imageStore(images).build().imageStore())
        .isSameAs(images);
  }
}
