package dev.hoist.content.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hoist.digest.Digest;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.images.Image;
import dev.hoist.images.ImageStore;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.MediaTypes;
import dev.hoist.spec.OciJson;
import dev.hoist.spec.Platform;
import dev.hoist.testing.images.ImageStoreContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Core's image-store contract, plus the index.json format and its crash safety. */
class LocalImageStoreTest implements ImageStoreContract {

  @Override
  public ImageStore newImageStore(Path root) throws IOException {
    return LocalContentStore.open(root);
  }

  @Test
  void imageIsIndexJsonEntryAnnotatedWithFullName(@TempDir Path root) throws IOException {
    LocalContentStore store = LocalContentStore.open(root);
    Descriptor target =
        Descriptor.of(MediaTypes.OCI_INDEX, Digest.sha256("idx"), 321)
            .withAnnotations(Map.of("org.opencontainers.image.created", "2026"));

    store.create(
        new Image("docker.io/library/nginx:latest", target, Map.of("team", "web"), null, null));

    JsonNode index = new ObjectMapper().readTree(Files.readAllBytes(root.resolve("index.json")));
    assertThat(index.get("schemaVersion").asInt()).isEqualTo(2);
    assertThat(index.get("mediaType").asText()).isEqualTo(MediaTypes.OCI_INDEX);
    JsonNode entry = index.get("manifests").get(0);
    assertThat(entry.get("digest").asText()).isEqualTo(target.digest().toString());
    assertThat(entry.get("size").asLong()).isEqualTo(321);
    JsonNode ann = entry.get("annotations");
    assertThat(ann.get("org.opencontainers.image.ref.name").asText())
        .isEqualTo("docker.io/library/nginx:latest");
    assertThat(ann.get("io.containerd.image.name").asText())
        .isEqualTo("docker.io/library/nginx:latest");
    assertThat(ann.get("org.opencontainers.image.created").asText()).isEqualTo("2026");
    assertThat(ann.get("dev.hoist.image.label.team").asText()).isEqualTo("web");
    // The reserved annotations do not leak back into the target.
    assertThat(store.get("docker.io/library/nginx:latest").orElseThrow().target())
        .isEqualTo(target);
  }

  @Test
  void imagesSurviveReopen(@TempDir Path root) throws IOException {
    Descriptor target =
        Descriptor.of(MediaTypes.OCI_MANIFEST, Digest.sha256("m"), 10)
            .withPlatform(new Platform("linux", "amd64", null, null, null));
    Image created = LocalContentStore.open(root).create(Image.of("example.com/a/b:1", target));

    assertThat(LocalContentStore.open(root).list()).containsExactly(created);
  }

  @Test
  void staleTempFileFromCrashBeforeRenameLeavesOldIndexIntact(@TempDir Path root)
      throws IOException {
    LocalContentStore store = LocalContentStore.open(root);
    Image kept = store.create(Image.of("docker.io/library/kept:1", ImageStoreContract.target("k")));
    byte[] before = Files.readAllBytes(root.resolve("index.json"));
    // What a crash between "write temp + fsync" and "rename" leaves behind: a complete or torn
    // temp file next to the untouched index.json.
    Path stale = root.resolve("index.json.0b5e4c1a-dead-beef-0000-000000000000.tmp");
    Files.writeString(stale, "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"torn");

    LocalContentStore reopened = LocalContentStore.open(root);

    assertThat(Files.readAllBytes(root.resolve("index.json"))).isEqualTo(before);
    assertThat(reopened.list()).containsExactly(kept);
    // The next update removes the debris under the lock and publishes a complete file.
    reopened.create(Image.of("docker.io/library/next:1", ImageStoreContract.target("n")));
    assertThat(stale).doesNotExist();
    assertThat(reopened.list())
        .extracting(Image::name)
        .containsExactly("docker.io/library/kept:1", "docker.io/library/next:1");
  }

  @Test
  void entriesOfOtherToolsAreKeptAndListedByRefName(@TempDir Path root) throws IOException {
    Descriptor foreign =
        Descriptor.of(MediaTypes.OCI_MANIFEST, Digest.sha256("f"), 5)
            .withAnnotations(Map.of("org.opencontainers.image.ref.name", "v1"));
    Descriptor nameless = Descriptor.of(MediaTypes.OCI_MANIFEST, Digest.sha256("n"), 6);
    Files.createDirectories(root);
    Files.write(
        root.resolve("index.json"),
        OciJson.write(
            new dev.hoist.spec.Index(
                2, MediaTypes.OCI_INDEX, null, List.of(foreign, nameless), null, null)));
    LocalContentStore store = LocalContentStore.open(root);

    store.create(Image.of("docker.io/library/mine:1", ImageStoreContract.target("m")));

    assertThat(store.list())
        .extracting(Image::name)
        .containsExactly("docker.io/library/mine:1", "v1");
    JsonNode manifests =
        new ObjectMapper()
            .readTree(Files.readAllBytes(root.resolve("index.json")))
            .get("manifests");
    assertThat(manifests).hasSize(3);
    assertThat(manifests.get(1).get("digest").asText()).isEqualTo(nameless.digest().toString());
  }

  @Test
  void corruptIndexIsReportedWithItsPath(@TempDir Path root) throws IOException {
    LocalContentStore store = LocalContentStore.open(root);
    Files.writeString(root.resolve("index.json"), "{not json");

    assertThatThrownBy(store::list)
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining(root.resolve("index.json").toString());
    assertThatThrownBy(() -> store.get(" ")).isInstanceOf(InvalidArgumentException.class);
  }
}
