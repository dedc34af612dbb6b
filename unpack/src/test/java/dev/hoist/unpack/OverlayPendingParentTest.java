package dev.hoist.unpack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hoist.content.InMemoryContentStore;
import dev.hoist.errors.FailedPreconditionException;
import dev.hoist.errors.NotFoundException;
import dev.hoist.errors.NotImplementedException;
import dev.hoist.snapshots.Mount;
import dev.hoist.snapshots.SnapshotLabels;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.MediaTypes;
import dev.hoist.testing.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link OverlaySnapshotter#prepareOnPending} and {@link TarLayerApplier} on a parent not committed
 * yet: what a pipelined unpack does with layer <i>i</i>+1 while layer <i>i</i> is being applied.
 */
class OverlayPendingParentTest {

  private static final Map<String, String> TRANSIENT = Map.of(SnapshotLabels.TRANSIENT, "x");

  @TempDir Path dir;
  private OverlaySnapshotter snapshots;
  private final InMemoryContentStore store = new InMemoryContentStore();
  private final TarLayerApplier applier = TarLayerApplier.create();
  private final ExecutorService thread = Executors.newSingleThreadExecutor();

  @BeforeEach
  void open() throws Exception {
    String reason = OverlayFormatSupport.unavailableReason(dir);
    assumeTrue(reason == null, reason);
    snapshots = OverlaySnapshotter.open(dir.resolve("s"));
  }

  @AfterEach
  void stop() {
    thread.shutdownNow();
  }

  private Descriptor layer(TestLayer tar) throws IOException {
    byte[] data = tar.tar();
    return TestImages.commit(store, TestImages.descriptor(MediaTypes.OCI_LAYER, data), data);
  }

  private static String option(List<Mount> mounts, String name) {
    return mounts.get(0).options().stream()
        .filter(o -> o.startsWith(name + "="))
        .findFirst()
        .map(o -> o.substring(name.length() + 1))
        .orElseThrow();
  }

  @Test
  void theMountsNameWhereThePendingParentWillBeOnceCommitted() throws IOException {
    snapshots.prepare("k0", null, TRANSIENT);
    snapshots.commit("c0", "k0", Map.of());
    snapshots.prepare("k1", "c0", TRANSIENT);

    List<Mount> mounts = snapshots.prepareOnPending("k2", "c1", "k1", TRANSIENT);
    snapshots.commit("c1", "k1", Map.of());

    List<String> lowers = List.of(option(mounts, "lowerdir").split(":"));
    List<Mount> after = snapshots.mounts("k2");
    assertThat(mounts).isEqualTo(after);
    assertThat(lowers).hasSize(2);
    assertThat(Path.of(lowers.get(0))).isDirectory();
    assertThat(snapshots.stat("k2").parent()).isEqualTo("c1");
    assertThat(snapshots.preparesOnPending()).isTrue();
  }

  @Test
  void aSnapshotOnAPendingParentCannotBeCommittedBeforeItsParent() throws IOException {
    snapshots.prepare("k1", null, TRANSIENT);
    snapshots.prepareOnPending("k2", "c1", "k1", TRANSIENT);

    assertThatThrownBy(() -> snapshots.commit("c2", "k2", Map.of()))
        .isInstanceOf(FailedPreconditionException.class)
        .hasMessage("snapshot k2: its parent c1 is not committed");

    snapshots.commit("c1", "k1", Map.of());
    snapshots.commit("c2", "k2", Map.of());
    assertThat(snapshots.stat("c2").parent()).isEqualTo("c1");
  }

  @Test
  void thePendingParentMustBeAnActiveSnapshotOnACommittedOne() throws IOException {
    snapshots.prepare("k1", null, TRANSIENT);
    snapshots.commit("c1", "k1", Map.of());
    snapshots.view("v", "c1", Map.of());
    snapshots.prepare("k2", "c1", TRANSIENT);
    snapshots.prepareOnPending("k3", "c2", "k2", TRANSIENT);

    assertThatThrownBy(() -> snapshots.prepareOnPending("a", "c1", "k1", TRANSIENT))
        .isInstanceOf(NotFoundException.class); // committed meanwhile: prepare on it instead
    assertThatThrownBy(() -> snapshots.prepareOnPending("b", "x", "v", TRANSIENT))
        .isInstanceOf(FailedPreconditionException.class)
        .hasMessage("snapshot b: pending parent v is not active");
    assertThatThrownBy(() -> snapshots.prepareOnPending("c", "c3", "k3", TRANSIENT))
        .isInstanceOf(FailedPreconditionException.class)
        .hasMessage("snapshot c: the parent of k3 is not committed");
  }

  @Test
  void theNativeSnapshotterCannotPrepareOnAPendingParent() throws IOException {
    LocalSnapshotter local = LocalSnapshotter.open(dir.resolve("native"));
    local.prepare("k1", null, TRANSIENT);

    assertThat(local.preparesOnPending()).isFalse();
    assertThatThrownBy(() -> local.prepareOnPending("k2", "c1", "k1", TRANSIENT))
        .isInstanceOf(NotImplementedException.class);
  }

  @Test
  void aLayerThatNeedsNoLowerIsAppliedWithoutWaitingForItsParent() throws IOException {
    snapshots.prepare("k1", null, TRANSIENT);
    List<Mount> mounts = snapshots.prepareOnPending("k2", "c1", "k1", TRANSIENT);
    Descriptor top = layer(new TestLayer().dir("etc").file("etc/new", "n"));

    // The parent never completes: an applier that waited for it would never return.
    applier.apply(top, store, mounts, new CompletableFuture<Void>());

    assertThat(Path.of(option(mounts, "upperdir")).resolve("etc/new")).hasContent("n");
  }

  @Test
  void aLayerThatNeedsItsLowersWaitsForTheParentsCommitAndThenSeesIt() throws Exception {
    List<Mount> base = snapshots.prepare("k1", null, TRANSIENT);
    applier.apply(
        layer(new TestLayer().dir("etc").file("etc/gone", "g").file("etc/kept", "k")), store, base);
    List<Mount> mounts = snapshots.prepareOnPending("k2", "c1", "k1", TRANSIENT);
    CompletableFuture<Void> parentCommitted = new CompletableFuture<>();
    // A whiteout is written only over a name a lower has: it needs the parent's committed diff.
    Descriptor top =
        layer(new TestLayer().dir("etc").whiteout("etc/.wh.gone").file("etc/more", "m"));

    Future<?> applying = thread.submit(() -> applier.apply(top, store, mounts, parentCommitted));
    snapshots.commit("c1", "k1", Map.of());
    parentCommitted.complete(null);
    applying.get(60, java.util.concurrent.TimeUnit.SECONDS); // a deadlock fails, not hangs
    snapshots.commit("c2", "k2", Map.of());
    snapshots.export("c2", dir.resolve("tree"));

    assertThat(dir.resolve("tree/etc/kept")).hasContent("k");
    assertThat(dir.resolve("tree/etc/more")).hasContent("m");
    assertThat(Files.exists(dir.resolve("tree/etc/gone"), LinkOption.NOFOLLOW_LINKS)).isFalse();
  }

  @Test
  void aParentThatFailsFailsTheLayerAtItsFirstLowerLookup() throws IOException {
    snapshots.prepare("k1", null, TRANSIENT);
    List<Mount> mounts = snapshots.prepareOnPending("k2", "c1", "k1", TRANSIENT);
    Descriptor top = layer(new TestLayer().dir("etc").whiteout("etc/.wh.gone"));

    assertThatThrownBy(
            () ->
                applier.apply(
                    top,
                    store,
                    mounts,
                    CompletableFuture.failedFuture(new IOException("parent broke"))))
        .isInstanceOf(FailedPreconditionException.class)
        .hasMessage("layer " + top.digest() + ": its parent layer was not committed");
  }
}
