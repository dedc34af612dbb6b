package dev.hoist.images.internal;

import dev.hoist.digest.Digest;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.errors.UnknownException;
import dev.hoist.images.Handler;
import dev.hoist.images.HandlerSignal;
import dev.hoist.spec.Descriptor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One concurrent walk: a structured scope written by hand (containerd's errgroup {@code Dispatch}).
 * All bookkeeping is guarded by {@code lock}; handlers run outside it.
 *
 * <p>Descriptors wait in {@code pending} until fewer than {@code limit} tasks are in flight, so a
 * task never blocks on a permit or on another task: a one-thread (or direct) executor cannot
 * deadlock. A task releases its slot before its children are queued. Each digest is handled at most
 * once per walk, which also ends cycles.
 */
public final class DispatchRun {

  private static final Logger log = LoggerFactory.getLogger(DispatchRun.class);

  private final Handler handler;
  private final Executor executor;
  private final int limit;
  private final int maxDepth;
  private final Consumer<Descriptor> onQueued;
  private final Thread caller = Thread.currentThread();

  private final Object lock = new Object();
  private final Set<Digest> seen = new HashSet<>();
  private final ArrayDeque<Task> pending = new ArrayDeque<>();
  private final Set<Task> submitted = new HashSet<>();
  private Throwable failure;

  public DispatchRun(
      Handler handler, Executor executor, int limit, int maxDepth, Consumer<Descriptor> onQueued) {
    this.handler = handler;
    this.executor = executor;
    this.limit = limit;
    this.maxDepth = maxDepth;
    this.onQueued = onQueued;
  }

  /**
   * Walks from {@code roots} and returns when every task has finished.
   *
   * @return the first failure (later ones suppressed into it), or null
   * @throws CancellationException when the calling thread is interrupted; the interrupt flag is set
   *     again and every task has finished
   */
  public Throwable run(List<Descriptor> roots) {
    List<Task> start;
    synchronized (lock) {
      for (Descriptor root : roots) {
        enqueue(root, 0);
      }
      start = startable();
    }
    start(start);
    boolean interrupted = false;
    synchronized (lock) {
      while (!pending.isEmpty() || !submitted.isEmpty()) {
        try {
          lock.wait();
        } catch (InterruptedException e) {
          if (!interrupted) {
            interrupted = true;
            fail(new CancellationException("walk interrupted"));
          }
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
      return new CancellationException("walk interrupted");
    }
    return failure;
  }

  // --- guarded by lock ---

  private void enqueue(Descriptor desc, int depth) {
    if (failure != null || !seen.add(desc.digest())) {
      return;
    }
    if (depth > maxDepth) {
      fail(
          new InvalidArgumentException(
              "descriptor " + desc.digest() + ": image graph deeper than " + maxDepth + " levels"));
      return;
    }
    pending.add(new Task(desc, depth));
    // Under the lock, so that "waiting" always precedes whatever the handler reports.
    notifyQueued(desc);
  }

  /** Moves pending tasks into free slots; the caller starts them after leaving the lock. */
  private List<Task> startable() {
    List<Task> start = new ArrayList<>();
    while (failure == null && submitted.size() < limit && !pending.isEmpty()) {
      Task t = pending.poll();
      submitted.add(t);
      start.add(t);
    }
    return start;
  }

  private void fail(Throwable t) {
    if (failure == null) {
      failure = t;
      pending.clear();
      for (Task task : new ArrayList<>(submitted)) {
        task.cancel();
      }
    } else if (t != failure && !(t instanceof HandlerSignal)) {
      failure.addSuppressed(t);
    }
    lock.notifyAll();
  }

  // --- outside the lock ---

  private void start(List<Task> tasks) {
    for (Task t : tasks) {
      try {
        executor.execute(t);
      } catch (RuntimeException e) {
        synchronized (lock) {
          submitted.remove(t);
          fail(
              new UnknownException(
                  "executor refused to run the handler for " + t.desc.digest(), e));
        }
      }
    }
  }

  private void notifyQueued(Descriptor desc) {
    try {
      onQueued.accept(desc);
    } catch (RuntimeException e) {
      log.warn("progress listener failed on waiting for {}: {}", desc.digest(), e.toString());
    }
  }

  private final class Task implements Runnable {
    final Descriptor desc;
    final int depth;

    /** QUEUED → RUNNING → DONE, or QUEUED → DONE when cancelled before it ran. Guarded by lock. */
    private int state;

    private Thread thread;
    private boolean interruptedByUs;

    Task(Descriptor desc, int depth) {
      this.desc = desc;
      this.depth = depth;
    }

    /** Guarded by lock. */
    void cancel() {
      if (state == 0) {
        // Never ran: drop it now; when the executor gets to it, it does nothing.
        state = 2;
        submitted.remove(this);
      } else if (state == 1 && thread != caller) {
        interruptedByUs = true;
        thread.interrupt();
      }
    }

    @Override
    public void run() {
      synchronized (lock) {
        if (state != 0) {
          return;
        }
        state = 1;
        thread = Thread.currentThread();
      }
      List<Descriptor> children = null;
      Throwable error = null;
      try {
        children = handler.handle(desc);
        if (Failures.hasNull(children)) {
          throw new IllegalStateException("handler returned null children for " + desc.digest());
        }
      } catch (HandlerSignal signal) {
        children = List.of();
      } catch (Throwable t) {
        error = Failures.classify(t, desc);
      }
      List<Task> start;
      synchronized (lock) {
        state = 2;
        thread = null;
        submitted.remove(this);
        if (interruptedByUs) {
          // The interrupt was ours, to stop this handler; do not leak it into the pool thread.
          Thread.interrupted();
        }
        if (error != null) {
          fail(error);
        } else {
          for (Descriptor child : children) {
            enqueue(child, depth + 1);
          }
        }
        start = startable();
        lock.notifyAll();
      }
      start(start);
    }
  }
}
