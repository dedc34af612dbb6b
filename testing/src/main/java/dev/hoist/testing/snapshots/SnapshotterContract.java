package dev.hoist.testing.snapshots;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.errors.AlreadyExistsException;
import dev.hoist.errors.FailedPreconditionException;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.errors.NotFoundException;
import dev.hoist.snapshots.Kind;
import dev.hoist.snapshots.Mount;
import dev.hoist.snapshots.SnapshotInfo;
import dev.hoist.snapshots.Snapshotter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour every {@link Snapshotter} must have, after containerd's snapshotter {@code
 * testsuite}: prepare, view, commit, stat, remove, walk, mounts, usage and lock. Implement this
 * interface in a test class and supply {@link #newSnapshotter}.
 */
public interface SnapshotterContract {

  /**
   * A new, empty snapshotter; a file-based one uses {@code root} (empty) as its directory.
   *
   * @param root an empty directory of this test
   * @return the snapshotter
   * @throws IOException when it cannot be opened
   */
  Snapshotter newSnapshotter(Path root) throws IOException;

  /**
   * A prepared snapshot is active, with writable mounts, until it is committed under its name.
   *
   * @param root an empty directory of this case, for {@link #newSnapshotter}
   * @throws IOException when the store fails
   */
  @Test
  default void preparedSnapshotIsActiveUntilCommittedUnderItsName(@TempDir Path root)
      throws IOException {
    Snapshotter s = newSnapshotter(root);

    List<Mount> mounts = s.prepare("active-1", null, Map.of("a", "1"));

    assertThat(mounts).isNotEmpty();
    assertThat(mounts.get(0).readOnly()).isFalse();
    SnapshotInfo active = s.stat("active-1");
    assertThat(active.kind()).isEqualTo(Kind.ACTIVE);
    assertThat(active.parent()).isNull();
    assertThat(active.labels()).containsEntry("a", "1");

    s.commit("sha256:base", "active-1", Map.of("b", "2"));

    SnapshotInfo committed = s.stat("sha256:base");
    assertThat(committed.kind()).isEqualTo(Kind.COMMITTED);
    assertThat(committed.name()).isEqualTo("sha256:base");
    assertThat(committed.labels()).containsEntry("a", "1").containsEntry("b", "2");
    assertThatThrownBy(() -> s.stat("active-1")).isInstanceOf(NotFoundException.class);
  }

  /**
   * A snapshot prepared on a committed parent names that parent.
   *
   * @param root an empty directory of this case, for {@link #newSnapshotter}
   * @throws IOException when the store fails
   */
  @Test
  default void childNamesItsCommittedParent(@TempDir Path root) throws IOException {
    Snapshotter s = newSnapshotter(root);
    s.prepare("k0", null, Map.of());
    s.commit("c0", "k0", Map.of());

    s.prepare("k1", "c0", Map.of());
    s.commit("c1", "k1", Map.of());

    assertThat(s.stat("c1").parent()).isEqualTo("c0");
    assertThat(s.stat("c0").parent()).isNull();
  }

  /**
   * Committing to a taken name fails and keeps the active snapshot.
   *
   * @param root an empty directory of this case, for {@link #newSnapshotter}
   * @throws IOException when the store fails
   */
  @Test
  default void commitToATakenNameFailsAndKeepsTheActiveSnapshot(@TempDir Path root)
      throws IOException {
    Snapshotter s = newSnapshotter(root);
    s.prepare("k0", null, Map.of());
    s.commit("c0", "k0", Map.of());
    s.prepare("k1", null, Map.of());

    assertThatThrownBy(() -> s.commit("c0", "k1", Map.of()))
        .isInstanceOf(AlreadyExistsException.class);
    assertThat(s.stat("k1").kind()).isEqualTo(Kind.ACTIVE);
  }

  /**
   * Preparing a key that is taken is refused.
   *
   * @param root an empty directory of this case, for {@link #newSnapshotter}
   * @throws IOException when the store fails
   */
  @Test
  default void prepareRefusesATakenKey(@TempDir Path root) throws IOException {
    Snapshotter s = newSnapshotter(root);
    s.prepare("k0", null, Map.of());

    assertThatThrownBy(() -> s.prepare("k0", null, Map.of()))
        .isInstanceOf(AlreadyExistsException.class);
  }

  /**
   * Preparing on a missing or uncommitted parent, or with an empty key, is refused.
   *
   * @param root an empty directory of this case, for {@link #newSnapshotter}
   * @throws IOException when the store fails
   */
  @Test
  default void prepareRefusesAMissingOrUncommittedParentAndAnEmptyKey(@TempDir Path root)
      throws IOException {
    Snapshotter s = newSnapshotter(root);
    s.prepare("k0", null, Map.of());

    assertThatThrownBy(() -> s.prepare("k1", "nope", Map.of()))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> s.prepare("k1", "k0", Map.of()))
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> s.prepare("", null, Map.of()))
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> s.stat("k1")).isInstanceOf(NotFoundException.class);
  }

  /**
   * Removing a snapshot that has children is refused; removing bottom-up succeeds.
   *
   * @param root an empty directory of this case, for {@link #newSnapshotter}
   * @throws IOException when the store fails
   */
  @Test
  default void removeRefusesASnapshotWithChildrenThenSucceedsBottomUp(@TempDir Path root)
      throws IOException {
    Snapshotter s = newSnapshotter(root);
    s.prepare("k0", null, Map.of());
    s.commit("c0", "k0", Map.of());
    s.prepare("k1", "c0", Map.of());

    assertThatThrownBy(() -> s.remove("c0")).isInstanceOf(FailedPreconditionException.class);
    s.remove("k1");
    s.remove("c0");

    assertThatThrownBy(() -> s.stat("c0")).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> s.remove("c0")).isInstanceOf(NotFoundException.class);
  }

  /**
   * A view has read-only mounts and cannot be committed.
   *
   * @param root an empty directory of this case, for {@link #newSnapshotter}
   * @throws IOException when the store fails
   */
  @Test
  default void viewIsReadOnlyAndCannotBeCommitted(@TempDir Path root) throws IOException {
    Snapshotter s = newSnapshotter(root);
    s.prepare("k0", null, Map.of());
    s.commit("c0", "k0", Map.of());

    List<Mount> mounts = s.view("v0", "c0", Map.of());

    assertThat(mounts).isNotEmpty().allMatch(Mount::readOnly);
    assertThat(s.stat("v0").kind()).isEqualTo(Kind.VIEW);
    assertThat(s.mounts("v0")).isEqualTo(mounts);
    assertThatThrownBy(() -> s.commit("c1", "v0", Map.of()))
        .isInstanceOf(FailedPreconditionException.class);
  }

  /**
   * A committed snapshot has no mounts, while active ones keep theirs.
   *
   * @param root an empty directory of this case, for {@link #newSnapshotter}
   * @throws IOException when the store fails
   */
  @Test
  default void committedSnapshotHasNoMountsButActiveOnesKeepTheirs(@TempDir Path root)
      throws IOException {
    Snapshotter s = newSnapshotter(root);
    List<Mount> mounts = s.prepare("k0", null, Map.of());

    assertThat(s.mounts("k0")).isEqualTo(mounts);
    s.commit("c0", "k0", Map.of());

    assertThatThrownBy(() -> s.mounts("c0")).isInstanceOf(FailedPreconditionException.class);
    assertThatThrownBy(() -> s.mounts("k0")).isInstanceOf(NotFoundException.class);
  }

  /**
   * {@code walk} visits every snapshot once.
   *
   * @param root an empty directory of this case, for {@link #newSnapshotter}
   * @throws IOException when the store fails
   */
  @Test
  default void walkVisitsEverySnapshotOnce(@TempDir Path root) throws IOException {
    Snapshotter s = newSnapshotter(root);
    s.prepare("k0", null, Map.of());
    s.commit("c0", "k0", Map.of());
    s.prepare("k1", "c0", Map.of());
    s.view("v1", "c0", Map.of());

    List<String> seen = new ArrayList<>();
    s.walk(info -> seen.add(info.name() + "/" + info.kind()));

    assertThat(seen).containsExactlyInAnyOrder("c0/COMMITTED", "k1/ACTIVE", "v1/VIEW");
  }

  /**
   * Usage is known for every snapshot and refused for missing ones.
   *
   * @param root an empty directory of this case, for {@link #newSnapshotter}
   * @throws IOException when the store fails
   */
  @Test
  default void usageIsKnownForEverySnapshotAndRefusedForMissingOnes(@TempDir Path root)
      throws IOException {
    Snapshotter s = newSnapshotter(root);
    s.prepare("k0", null, Map.of());

    assertThat(s.usage("k0").size()).isGreaterThanOrEqualTo(0);
    assertThatThrownBy(() -> s.usage("missing")).isInstanceOf(NotFoundException.class);
  }

  /**
   * {@code lock} admits one holder of a name at a time.
   *
   * @param root an empty directory of this case, for {@link #newSnapshotter}
   * @throws Exception when the store fails
   */
  @Test
  default void lockAdmitsOneHolderOfANameAtATime(@TempDir Path root) throws Exception {
    Snapshotter s = newSnapshotter(root);
    AtomicInteger holders = new AtomicInteger();
    AtomicInteger overlaps = new AtomicInteger();
    AtomicInteger entries = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        futures.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 50; i++) {
                    try (Closeable lock = s.lock("sha256:chain")) {
                      if (holders.incrementAndGet() != 1) {
                        overlaps.incrementAndGet();
                      }
                      entries.incrementAndGet();
                      Thread.yield();
                      holders.decrementAndGet();
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(entries.get()).isEqualTo(200);
    assertThat(overlaps.get()).isZero();
  }

  /**
   * A lock on one name does not block another name.
   *
   * @param root an empty directory of this case, for {@link #newSnapshotter}
   * @throws Exception when the store fails
   */
  @Test
  default void lockOnOneNameDoesNotBlockAnother(@TempDir Path root) throws Exception {
    Snapshotter s = newSnapshotter(root);
    try (Closeable a = s.lock("sha256:a")) {
      ExecutorService other = Executors.newSingleThreadExecutor();
      try {
        Future<Boolean> b =
            other.submit(
                () -> {
                  try (Closeable lock = s.lock("sha256:b")) {
                    return true;
                  }
                });
        assertThat(b.get(60, TimeUnit.SECONDS)).isTrue();
      } finally {
        other.shutdownNow();
      }
    }
  }
}
