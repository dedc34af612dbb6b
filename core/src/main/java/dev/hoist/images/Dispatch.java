package dev.hoist.images;

import dev.hoist.digest.Digest;
import dev.hoist.errors.HoistException;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.errors.UnknownException;
import dev.hoist.images.internal.DispatchRun;
import dev.hoist.images.internal.Failures;
import dev.hoist.spec.Descriptor;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Walks an image graph, calling a {@link Handler} on every descriptor and then on the children it
 * returns, as containerd's {@code images.Dispatch} and {@code images.Walk}.
 *
 * <p>Contract of {@link #run}, a structured scope:
 *
 * <ul>
 *   <li>at most {@code limit} {@code handle} calls are in flight; a call's slot is released before
 *       its children are queued;
 *   <li>children are new tasks and no task ever waits for another, so even a one-thread executor
 *       cannot deadlock;
 *   <li>each distinct digest is handled once per walk (a blob shared by two manifests is fetched
 *       once; an index that contains itself ends), and a graph deeper than {@link #MAX_DEPTH}
 *       levels is refused with {@link InvalidArgumentException};
 *   <li>fail fast: the first failure stops scheduling, interrupts the handlers in flight, waits for
 *       them and is thrown, with later failures attached as suppressed. No task outlives the call;
 *   <li>{@link HandlerSignal}s never escape: {@code SKIP_CHILDREN} and {@code STOP} both mean "no
 *       children" here;
 *   <li>interrupting the calling thread cancels the walk as a failure does, sets the interrupt flag
 *       again and throws {@link CancellationException}.
 * </ul>
 *
 * <p>Failures are thrown as {@link HoistException}s: one from a handler passes through unchanged;
 * an {@link IOException} from {@code java.net} becomes {@link
 * dev.hoist.errors.UnavailableException}, any other {@code IOException} or unexpected runtime
 * exception becomes {@link UnknownException} naming the descriptor. {@link Error}s are rethrown as
 * they are.
 */
public final class Dispatch {

  /** The deepest graph walked; OCI images need 3 levels, nested indexes a few more. */
  public static final int MAX_DEPTH = 16;

  private Dispatch() {}

  /**
   * As {@link #run(Handler, Executor, int, List)}.
   *
   * @param handler called once per distinct descriptor, concurrently from {@code executor}'s
   *     threads
   * @param executor runs the handler calls; not shut down
   * @param limit the most handler calls in flight, positive
   * @param roots the descriptors the walk starts from
   */
  public static void run(Handler handler, Executor executor, int limit, Descriptor... roots) {
    run(handler, executor, limit, List.of(roots));
  }

  /**
   * Walks from {@code roots} concurrently on {@code executor}, at most {@code limit} handlers at a
   * time. {@code executor} is not shut down.
   *
   * @param handler called once per distinct descriptor, concurrently from {@code executor}'s
   *     threads
   * @param executor runs the handler calls; not shut down
   * @param limit the most handler calls in flight, positive
   * @param roots the descriptors the walk starts from
   * @throws IllegalArgumentException when {@code limit <= 0}
   * @throws HoistException the first failure
   * @throws CancellationException when the calling thread is interrupted
   */
  public static void run(Handler handler, Executor executor, int limit, List<Descriptor> roots) {
    run(handler, executor, limit, roots, desc -> {});
  }

  /**
   * As {@link #run(Handler, Executor, int, List)}, calling {@code onQueued} once per descriptor
   * when it is queued for a slot, before its handler starts (a progress "waiting" event). {@code
   * onQueued} must be fast and must not block; its exceptions are logged and ignored.
   *
   * @param handler called once per distinct descriptor, concurrently from {@code executor}'s
   *     threads
   * @param executor runs the handler calls; not shut down
   * @param limit the most handler calls in flight, positive
   * @param roots the descriptors the walk starts from
   * @param onQueued told of each descriptor as it is queued
   * @throws IllegalArgumentException when {@code limit <= 0}
   * @throws HoistException the first failure
   * @throws CancellationException when the calling thread is interrupted
   */
  public static void run(
      Handler handler,
      Executor executor,
      int limit,
      List<Descriptor> roots,
      Consumer<Descriptor> onQueued) {
    Objects.requireNonNull(handler, "handler");
    Objects.requireNonNull(executor, "executor");
    Objects.requireNonNull(onQueued, "onQueued");
    List<Descriptor> copy = List.copyOf(roots);
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be positive: " + limit);
    }
    Throwable failure = new DispatchRun(handler, executor, limit, MAX_DEPTH, onQueued).run(copy);
    if (failure != null) {
      throw Failures.unchecked(failure);
    }
  }

  /**
   * As {@link #walk(Handler, List)}.
   *
   * @param handler called once per distinct descriptor, on the calling thread
   * @param roots the descriptors the walk starts from, in order
   */
  public static void walk(Handler handler, Descriptor... roots) {
    walk(handler, List.of(roots));
  }

  /**
   * Walks from {@code roots} on the calling thread, depth first, in the order the handler returns
   * children, handling each distinct digest once (containerd's {@code images.Walk}).
   *
   * @param handler called once per distinct descriptor, on the calling thread
   * @param roots the descriptors the walk starts from, in order
   * @throws HoistException the first failure; the walk stops there
   * @throws CancellationException when the calling thread is interrupted between handlers
   */
  public static void walk(Handler handler, List<Descriptor> roots) {
    Objects.requireNonNull(handler, "handler");
    Set<Digest> seen = new HashSet<>();
    for (Descriptor root : List.copyOf(roots)) {
      walk(handler, root, 0, seen);
    }
  }

  private static void walk(Handler handler, Descriptor desc, int depth, Set<Digest> seen) {
    if (!seen.add(desc.digest())) {
      return;
    }
    if (depth > MAX_DEPTH) {
      throw new InvalidArgumentException(
          "descriptor " + desc.digest() + ": image graph deeper than " + MAX_DEPTH + " levels");
    }
    if (Thread.currentThread().isInterrupted()) {
      throw new CancellationException("walk interrupted at " + desc.digest());
    }
    List<Descriptor> children;
    try {
      children = handler.handle(desc);
    } catch (HandlerSignal signal) {
      return;
    } catch (Throwable t) {
      throw Failures.unchecked(Failures.classify(t, desc));
    }
    if (Failures.hasNull(children)) {
      throw new UnknownException("handler returned null children for " + desc.digest());
    }
    for (Descriptor child : children) {
      walk(handler, child, depth + 1, seen);
    }
  }
}
