package dev.hoist.content.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hoist.content.local.ChildProcesses.Child;
import dev.hoist.content.local.internal.Syncer;
import dev.hoist.digest.Digest;
import dev.hoist.errors.NotFoundException;
import dev.hoist.gc.CollectionLock;
import dev.hoist.images.Image;
import dev.hoist.spec.Descriptor;
import dev.hoist.testing.TestImages;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The collection lock across processes, read-only opening, verification and index.json names. */
@Timeout(60)
class LocalCollectionAndVerifyTest {

  @TempDir Path dir;

  @Test
  void aSharedHoldInAnotherProcessKeepsCollectionOutUntilItIsReleased() throws Exception {
    Path root = dir.resolve("store");
    LocalContentStore store = LocalContentStore.open(root);
    try (Child child = ChildProcesses.start("gcshared", root, "-")) {
      assertThat(child.nextLine()).isEqualTo("HELD");

      assertThat(store.tryExclusive())
          .as("exclusive while another process holds it shared")
          .isNull();

      child.endInput();
      assertThat(child.nextLine()).isEqualTo("RELEASED");
      assertThat(child.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    try (CollectionLock.Hold hold = store.tryExclusive()) {
      assertThat(hold).isNotNull();
    }
  }

  @Test
  void inOneJvmSharedHoldsExcludeCollectionAndCollectionExcludesNewHolds() throws Exception {
    LocalContentStore store = LocalContentStore.open(dir.resolve("store"));
    LocalContentStore other = LocalContentStore.open(dir.resolve("store")); // a second instance
    CollectionLock.Hold a = store.shared();
    CollectionLock.Hold b = other.shared();
    a.close();
    assertThat(store.tryExclusive()).isNull();
    b.close();

    CollectionLock.Hold exclusive = store.tryExclusive();
    assertThat(exclusive).isNotNull();
    CompletableFuture<CollectionLock.Hold> shared =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return other.shared();
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    assertThat(shared).isNotDone();
    exclusive.close();
    shared.get(10, TimeUnit.SECONDS).close();
  }

  @Test
  void openExistingOnAPathThatIsNotAStoreFailsAndCreatesNothing() throws IOException {
    Path typo = dir.resolve("typo");
    assertThatThrownBy(() -> LocalContentStore.openExisting(typo))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining(typo.toString());
    assertThat(typo).doesNotExist();

    Path plain = Files.createDirectories(dir.resolve("plain"));
    assertThatThrownBy(() -> LocalContentStore.openExisting(plain))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("oci-layout");
    try (var entries = Files.list(plain)) {
      assertThat(entries).isEmpty();
    }
  }

  @Test
  void openExistingReadsALayoutWithoutHoistsOwnDirectories() throws IOException {
    Path root = dir.resolve("layout");
    Files.createDirectories(root);
    Files.writeString(root.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");

    LocalContentStore store = LocalContentStore.openExisting(root);

    assertThat(store.list()).isEmpty();
    assertThat(store.ingests()).isEmpty();
    try (var entries = Files.list(root)) {
      assertThat(entries).extracting(p -> p.getFileName().toString()).containsExactly("oci-layout");
    }
  }

  @Test
  void anIpv6NameIsWrittenAsARefNameTheOciGrammarAllowsAndKeptInFullBesideIt() throws IOException {
    Path root = dir.resolve("store");
    LocalContentStore store = LocalContentStore.open(root);
    TestImages image = TestImages.builder().seed("v6").build();
    store.create(Image.of("[::1]:5000/x:1", image.root()));
    store.create(Image.of("docker.io/library/alpine:3.20", image.root()));

    JsonNode manifests =
        new ObjectMapper().readTree(root.resolve("index.json").toFile()).get("manifests");

    assertThat(
            manifests.get(0).get("annotations").get("org.opencontainers.image.ref.name").asText())
        .isEqualTo("x:1");
    assertThat(manifests.get(0).get("annotations").get("io.containerd.image.name").asText())
        .isEqualTo("[::1]:5000/x:1");
    assertThat(
            manifests.get(1).get("annotations").get("org.opencontainers.image.ref.name").asText())
        .isEqualTo("docker.io/library/alpine:3.20");
    assertThat(store.get("[::1]:5000/x:1")).isPresent();
  }

  @Test
  void labelsAreWrittenEvenWhenTheCommittingThreadIsInterruptedAfterTheBlobIsPublished()
      throws IOException {
    // The directory sync runs right after the blob is linked into blobs/: an interrupt there is
    // what a cancelled fetch delivers to a commit in progress.
    Syncer interrupting =
        new Syncer() {
          @Override
          public void file(FileChannel file) throws IOException {
            Syncer.SYSTEM.file(file);
          }

          @Override
          public void directory(Path d) throws IOException {
            Syncer.SYSTEM.directory(d);
            Thread.currentThread().interrupt();
          }
        };
    LocalContentStore store =
        LocalContentStore.builder(dir.resolve("store")).syncer(interrupting).build();
    byte[] data = ChildProcesses.content(1000, 7);
    Descriptor desc = ChildProcesses.layer(data);
    try {
      try (var w = store.writer("r", desc)) {
        w.write(ByteBuffer.wrap(data));
        w.commit(
            data.length,
            desc.digest(),
            Map.of("containerd.io/distribution.source.example.com", "x"));
      }
      assertThat(Thread.currentThread().isInterrupted())
          .as("the interrupt is kept for the caller")
          .isTrue();
    } finally {
      Thread.interrupted();
    }

    assertThat(store.info(desc.digest()).labels())
        .containsEntry("containerd.io/distribution.source.example.com", "x");
  }

  @Test
  void verifyNamesTheImagesOfADamagedBlobFindsStrayFilesAndAMissingRootAndRepairRemovesDamage()
      throws IOException {
    Path root = dir.resolve("store");
    LocalContentStore store = LocalContentStore.open(root);
    TestImages image = TestImages.builder().seed("verify").build().commitAll(store);
    store.create(Image.of("example.com/a:1", image.root()));
    TestImages other = TestImages.builder().noIndex().platforms("linux/amd64").seed("gone").build();
    store.create(Image.of("example.com/gone:1", other.root()));
    Digest layer = image.layers("linux/amd64").get(0).digest();
    Path blob = root.resolve("blobs/sha256").resolve(layer.encoded());
    blob.toFile().setWritable(true);
    Files.write(blob, new byte[] {1, 2, 3});
    Files.writeString(root.resolve("blobs/sha256/leftover.tmp"), "x");

    StoreVerifier.Report r = StoreVerifier.verify(store, false);

    assertThat(r.ok()).isFalse();
    assertThat(r.damaged())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.digest()).isEqualTo(layer);
              assertThat(d.images()).containsExactly("example.com/a:1");
              assertThat(d.problem()).contains("hashes to");
            });
    assertThat(r.missing())
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.digest()).isEqualTo(other.root().digest());
              assertThat(m.role()).isEqualTo("root");
            });
    assertThat(r.stray()).containsExactly("blobs/sha256/leftover.tmp");
    assertThat(store.exists(layer)).isTrue();

    StoreVerifier.Report repaired = StoreVerifier.verify(store, true);

    assertThat(repaired.repaired()).containsExactly(layer);
    assertThat(store.exists(layer)).isFalse();
    assertThat(StoreVerifier.verify(store, false).damaged()).isEmpty();
  }
}
