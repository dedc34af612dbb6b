package dev.hoist.content.local.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Directory fsyncs shared by concurrent callers (group commit). A directory fsync makes durable
 * every entry created before it started, so callers that arrive while one is running wait for the
 * next, and that one sync then covers all of them: with eight downloads committing at once, eight
 * links cost one or two directory fsyncs instead of eight. When {@link #sync} returns, an fsync
 * that started after the call began has completed, so the caller's earlier link is durable.
 * Thread-safe.
 */
public final class GroupSync {

  private final Syncer syncer;
  private final ConcurrentHashMap<Path, Group> groups = new ConcurrentHashMap<>();

  public GroupSync(Syncer syncer) {
    this.syncer = syncer;
  }

  /**
   * Returns once an fsync of {@code dir} that started after this call began has completed (possibly
   * one issued by another thread). Not interruptible: a commit that linked its blob must not give
   * up before the link is durable; the interrupt status is restored on return.
   *
   * @throws IOException when the fsync this caller issued itself fails
   */
  public void sync(Path dir) throws IOException {
    groups.computeIfAbsent(dir, d -> new Group()).sync(dir);
  }

  /** How many calls for {@code dir} have begun (tests wait on it instead of sleeping). */
  long callsBegun(Path dir) {
    Group g = groups.get(dir);
    return g == null ? 0 : g.issued();
  }

  /**
   * One directory's tickets: each caller takes one; a finished fsync covers every ticket issued
   * before it began.
   */
  private final class Group {
    private long issued;
    private long durable;
    private boolean running;

    synchronized long issued() {
      return issued;
    }

    void sync(Path dir) throws IOException {
      // Cleared while we wait and sync (an fsync on an interrupted thread closes its channel and
      // fails), restored when done.
      boolean interrupted = Thread.interrupted();
      try {
        long covers;
        synchronized (this) {
          long ticket = ++issued;
          while (durable < ticket && running) {
            try {
              wait();
            } catch (InterruptedException e) {
              interrupted = true;
            }
          }
          if (durable >= ticket) {
            return;
          }
          // No fsync running and ours not covered: this thread syncs for everyone issued so far.
          running = true;
          covers = issued;
        }
        // wait() may return normally with the interrupt status set (notified and interrupted).
        interrupted |= Thread.interrupted();
        boolean ok = false;
        try {
          syncer.directory(dir);
          ok = true;
        } finally {
          synchronized (this) {
            running = false;
            if (ok) {
              durable = Math.max(durable, covers);
            }
            // On failure a waiter becomes the next syncer and gets its own result.
            notifyAll();
          }
        }
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }
}
