package dev.hoist.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.content.ContentProvider;
import dev.hoist.diff.Applier;
import dev.hoist.diff.ChainIds;
import dev.hoist.digest.Digest;
import dev.hoist.errors.DigestMismatchException;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.snapshots.InMemorySnapshotter;
import dev.hoist.snapshots.Kind;
import dev.hoist.snapshots.Mount;
import dev.hoist.spec.Descriptor;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Every pull test again, onto a snapshotter that prepares on parents not committed yet (as the
 * overlay snapshotter does), so that two layers are applied at once; and what only that can do.
 */
class PipelinedClientPullTest extends ClientPullTest {

  private static final long WAIT_SECONDS = 30;

  @Override
  InMemorySnapshotter newSnapshotter() {
    return new InMemorySnapshotter("memory", Clock.systemUTC(), true);
  }

  /**
   * An applier that starts at once on a pending parent (as an overlay applier does) and, for the
   * layer {@code blocked}, waits until the layer {@code awaited} has started before it returns.
   */
  private final class OverlappingApplier implements Applier {
    final Digest blocked;
    final Digest awaited;
    final CountDownLatch started = new CountDownLatch(1);
    volatile boolean overlapped;
    volatile boolean parentWasPending;
    volatile RuntimeException failWith;
    volatile Digest failing;
    volatile Digest wrongDiffId;

    OverlappingApplier(Digest blocked, Digest awaited) {
      this.blocked = blocked;
      this.awaited = awaited;
    }

    @Override
    public Digest apply(Descriptor layer, ContentProvider provider, List<Mount> mounts)
        throws IOException {
      if (layer.digest().equals(awaited)) {
        started.countDown();
      }
      if (layer.digest().equals(blocked)) {
        try {
          // Sequential layers would never count this down: the wait times out.
          overlapped = started.await(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (layer.digest().equals(failing)) {
        throw failWith;
      }
      Digest d = hashingApplier.apply(layer, provider, mounts);
      return layer.digest().equals(wrongDiffId) ? Digest.sha256(new byte[] {1}) : d;
    }

    @Override
    public Digest apply(
        Descriptor layer,
        ContentProvider provider,
        List<Mount> mounts,
        CompletionStage<?> parentCommitted)
        throws IOException {
      if (layer.digest().equals(awaited)) {
        parentWasPending = !parentCommitted.toCompletableFuture().isDone();
      }
      return apply(layer, provider, mounts);
    }
  }

  private void use(Applier applier) {
    use(snapshotter, applier);
  }

  @Test
  void theNextLayerIsAppliedWhileItsParentIsStillBeingApplied() throws IOException {
    ImageSpec app = new ImageSpec().layers("base", "mid", "top").tag("docker.io/library/app:1");
    OverlappingApplier applier =
        new OverlappingApplier(app.layers.get(0).digest(), app.layers.get(1).digest());
    use(applier);

    UnpackedImage pulled = client.pull("app:1", ctx().build());

    assertThat(applier.overlapped).isTrue();
    assertThat(applier.parentWasPending).isTrue();
    List<Digest> chain = ChainIds.of(app.layers.stream().map(Descriptor::digest).toList());
    assertThat(pulled.applied()).isEqualTo(3);
    assertThat(snapshotter.stat(chain.get(1).toString()).parent())
        .isEqualTo(chain.get(0).toString());
    assertThat(snapshotter.stat(chain.get(2).toString()).parent())
        .isEqualTo(chain.get(1).toString());
    assertThat(snapshots()).allMatch(s -> s.kind() == Kind.COMMITTED).hasSize(3);
  }

  @Test
  void aLowerLayerThatFailsWhileTheNextAppliesFailsThePullWithItsOwnErrorAndCommitsNeither()
      throws IOException {
    ImageSpec app = new ImageSpec().layers("base", "mid", "top").tag("docker.io/library/app:1");
    OverlappingApplier applier =
        new OverlappingApplier(app.layers.get(0).digest(), app.layers.get(1).digest());
    applier.failing = app.layers.get(0).digest();
    applier.failWith = new InvalidArgumentException("layer: malformed base");
    use(applier);

    assertThatThrownBy(() -> client.pull("app:1", ctx().build()))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessage("layer: malformed base");

    assertThat(applier.overlapped).isTrue();
    assertThat(snapshots()).isEmpty(); // nothing committed, no active snapshot left
  }

  @Test
  void anUpperLayerThatFailsWhileItsParentAppliesLeavesTheParentCommitted() throws IOException {
    ImageSpec app = new ImageSpec().layers("base", "mid", "top").tag("docker.io/library/app:1");
    List<Digest> chain = ChainIds.of(app.layers.stream().map(Descriptor::digest).toList());
    OverlappingApplier applier =
        new OverlappingApplier(app.layers.get(0).digest(), app.layers.get(1).digest());
    // the middle layer's DiffID is wrong: it fails after its parent started, not before
    applier.wrongDiffId = app.layers.get(1).digest();
    use(applier);

    assertThatThrownBy(() -> client.pull("app:1", ctx().build()))
        .isInstanceOf(DigestMismatchException.class)
        .hasMessageContaining("layer 1 (" + app.layers.get(1).digest() + ")");

    assertThat(committed()).containsExactly(chain.get(0).toString());
    assertThat(snapshots()).hasSize(1);
  }

  @Test
  void anApplierThatDoesNotOverlapWaitsForTheParentByDefault() throws IOException {
    ImageSpec app = new ImageSpec().layers("base", "top").tag("docker.io/library/app:1");
    List<String> order = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    use(
        (layer, provider, mounts) -> {
          order.add("start " + app.layers.indexOf(layer));
          Digest d = hashingApplier.apply(layer, provider, mounts);
          order.add("end " + app.layers.indexOf(layer));
          return d;
        });

    assertThat(client.pull("app:1", ctx().build()).applied()).isEqualTo(2);

    // The default four-argument apply waits for the parent's commit before applying.
    assertThat(order).containsExactly("start 0", "end 0", "start 1", "end 1");
  }
}
