package dev.hoist.gc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hoist.snapshots.InMemorySnapshotter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which snapshots a collection keeps: those images reach, their parents, and what is in use. */
class SnapshotSweeperTest {

  private final InMemorySnapshotter snapshots = new InMemorySnapshotter();

  private void committed(String name, String parent) throws IOException {
    snapshots.prepare("active-" + name, parent, Map.of());
    snapshots.commit(name, "active-" + name, Map.of());
  }

  private List<String> names() throws IOException {
    List<String> names = new ArrayList<>();
    snapshots.walk(info -> names.add(info.name()));
    return names;
  }

  private static GcMarks reaching(String snapshotter, String... keys) {
    return new GcMarks(Set.of(), keys.length == 0 ? Map.of() : Map.of(snapshotter, Set.of(keys)));
  }

  @Test
  void keepsWhatAnImageReachesWithItsParentsAndRemovesTheRestChildrenFirst() throws IOException {
    committed("a", null);
    committed("b", "a");
    committed("c", "b");
    committed("d", "a"); // another image's top, its image removed
    committed("e", "d");

    List<String> removed =
        new SnapshotSweeper(snapshots).sweep(reaching(snapshots.name(), "c"), false);

    assertThat(removed)
        .containsExactly(
            "snapshot " + snapshots.name() + "/e", "snapshot " + snapshots.name() + "/d");
    assertThat(names()).containsExactlyInAnyOrder("a", "b", "c");
  }

  @Test
  void withNoImageEveryCommittedSnapshotGoes() throws IOException {
    committed("a", null);
    committed("b", "a");

    new SnapshotSweeper(snapshots).sweep(reaching(snapshots.name()), false);

    assertThat(names()).isEmpty();
  }

  @Test
  void anApplyInProgressKeepsItsParents() throws IOException {
    committed("a", null);
    committed("b", "a");
    snapshots.prepare("pulling", "b", Map.of());

    new SnapshotSweeper(snapshots).sweep(reaching(snapshots.name()), false);

    assertThat(names()).containsExactlyInAnyOrder("a", "b", "pulling");
  }

  @Test
  void aDryRunListsAndRemovesNothing() throws IOException {
    committed("a", null);

    List<String> would =
        new SnapshotSweeper(snapshots).sweep(reaching("other-snapshotter", "a"), true);

    assertThat(would).containsExactly("snapshot " + snapshots.name() + "/a");
    assertThat(names()).containsExactly("a");
  }

  @Test
  void labelsOfAnotherSnapshotterKeepNothingHere() throws IOException {
    committed("a", null);

    new SnapshotSweeper(snapshots).sweep(reaching("other-snapshotter", "a"), false);

    assertThat(names()).isEmpty();
  }
}
