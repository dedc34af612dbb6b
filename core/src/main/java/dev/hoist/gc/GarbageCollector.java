package dev.hoist.gc;

import dev.hoist.content.ContentInfo;
import dev.hoist.content.ContentStore;
import dev.hoist.content.IngestStatus;
import dev.hoist.digest.Digest;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.errors.NotFoundException;
import dev.hoist.errors.UnavailableException;
import dev.hoist.images.Image;
import dev.hoist.images.ImageStore;
import dev.hoist.spec.Descriptor;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Removes what no image needs, as containerd's garbage collector: the images of an {@link
 * ImageStore} are the roots; a blob is kept when it is reachable from one ({@link Reachability});
 * every other blob is removed, and so is every ingest (write in progress) not updated for {@link
 * Builder#ingestAge}. Extra {@link Sweeper}s (snapshots) run after the content sweep with the same
 * marks.
 *
 * <pre>{@code
 * GcResult r = GarbageCollector.builder(store, store).build().collect();
 * }</pre>
 *
 * <p><b>Concurrent fetches.</b> When the content store is a {@link CollectionLock}, a collection
 * holds it exclusively from mark to sweep, and {@link dev.hoist.client.Client#fetch} holds it
 * shared until its image is recorded: a collection waits for running fetches, and a blob a fetch
 * committed is never collected before its image is recorded. A dry run takes no lock (it removes
 * nothing) and may list the content of a fetch in flight.
 */
public final class GarbageCollector {

  /** Ingests untouched for this long are abandoned: one day, as Hoist's CLI. */
  public static final Duration DEFAULT_INGEST_AGE = Duration.ofDays(1);

  private final ContentStore content;
  private final ImageStore images;
  private final Duration ingestAge;
  private final Clock clock;
  private final List<Sweeper> sweepers;
  private final Runnable waiting;

  private GarbageCollector(Builder b) {
    this.content = b.content;
    this.images = b.images;
    this.ingestAge = b.ingestAge;
    this.clock = b.clock;
    this.sweepers = List.copyOf(b.sweepers);
    this.waiting = b.waiting;
  }

  /**
   * A collector of {@code content} whose roots are the images of {@code images}.
   *
   * @param content the blobs to collect
   * @param images the images that are the roots
   * @return a builder with the default ingest age, clock and no extra sweepers
   */
  public static Builder builder(ContentStore content, ImageStore images) {
    return new Builder(content, images);
  }

  /**
   * Marks from the images, then removes the rest.
   *
   * @return what was removed
   * @throws IOException when the stores fail
   */
  public GcResult collect() throws IOException {
    return run(false);
  }

  /**
   * Marks, and reports what {@link #collect()} would remove, removing nothing.
   *
   * @return what would be removed
   * @throws IOException when the stores fail
   */
  public GcResult dryRun() throws IOException {
    return run(true);
  }

  /**
   * The mark phase alone: what the images reach.
   *
   * @return the marks
   * @throws IOException when the stores fail
   */
  public GcMarks mark() throws IOException {
    List<Descriptor> roots = new ArrayList<>();
    for (Image image : images.list()) {
      roots.add(image.target());
    }
    return Reachability.mark(content, roots);
  }

  private GcResult run(boolean dryRun) throws IOException {
    CollectionLock.Hold hold = null;
    if (!dryRun && content instanceof CollectionLock) {
      CollectionLock lock = (CollectionLock) content;
      hold = lock.tryExclusive();
      if (hold == null) {
        waiting.run();
        hold = lock.exclusive();
      }
    }
    try {
      GcMarks marks = mark();
      List<ContentInfo> unreachable = new ArrayList<>();
      content.walk(info -> !marks.content().contains(info.digest()), unreachable::add);
      List<Digest> removed = new ArrayList<>();
      long bytes = 0;
      for (ContentInfo info : unreachable) {
        if (!dryRun) {
          try {
            content.deleteBlob(info.digest());
          } catch (NotFoundException e) {
            continue; // removed meanwhile by someone else
          }
        }
        removed.add(info.digest());
        bytes += info.size();
      }
      List<String> ingests = sweepIngests(dryRun);
      List<String> other = new ArrayList<>();
      for (Sweeper s : sweepers) {
        other.addAll(s.sweep(marks, dryRun));
      }
      removed.sort(null);
      return new GcResult(dryRun, marks, removed, bytes, ingests, other);
    } finally {
      if (hold != null) {
        hold.close();
      }
    }
  }

  private List<String> sweepIngests(boolean dryRun) throws IOException {
    Instant cutoff = clock.instant().minus(ingestAge);
    List<String> refs = new ArrayList<>();
    for (IngestStatus s : content.ingests()) {
      Instant updated = s.updatedAt() != null ? s.updatedAt() : s.startedAt();
      if (updated != null && !updated.isBefore(cutoff)) {
        continue;
      }
      if (!dryRun) {
        try {
          content.abort(s.ref());
        } catch (UnavailableException | NotFoundException e) {
          continue; // a live writer holds it, or it finished meanwhile
        }
      }
      refs.add(s.ref());
    }
    return refs;
  }

  /** Options of a {@link GarbageCollector}. Not thread-safe. */
  public static final class Builder {
    private final ContentStore content;
    private final ImageStore images;
    private Duration ingestAge = DEFAULT_INGEST_AGE;
    private Clock clock = Clock.systemUTC();
    private final List<Sweeper> sweepers = new ArrayList<>();
    private Runnable waiting = () -> {};

    private Builder(ContentStore content, ImageStore images) {
      this.content = Objects.requireNonNull(content, "content");
      this.images = Objects.requireNonNull(images, "images");
    }

    /**
     * Ingests not updated for {@code age} are removed (default one day); zero removes every ingest
     * no writer holds.
     *
     * @param age zero or positive
     * @return this builder
     * @throws InvalidArgumentException when {@code age} is negative
     */
    public Builder ingestAge(Duration age) {
      if (age == null || age.isNegative()) {
        throw new InvalidArgumentException("ingest age must be zero or positive, got " + age);
      }
      this.ingestAge = age;
      return this;
    }

    /**
     * The clock ingest ages are measured with (default: the UTC system clock).
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Adds a sweep run after the content sweep, with the same marks and under the same lock.
     *
     * @param sweeper e.g. a snapshot collector
     * @return this builder
     */
    public Builder sweeper(Sweeper sweeper) {
      sweepers.add(Objects.requireNonNull(sweeper, "sweeper"));
      return this;
    }

    /**
     * Called once when the collection has to wait for fetches in flight (e.g. to say so).
     *
     * @param waiting must not block
     * @return this builder
     */
    public Builder onWaiting(Runnable waiting) {
      this.waiting = Objects.requireNonNull(waiting, "waiting");
      return this;
    }

    /**
     * Builds the collector.
     *
     * @return the collector
     */
    public GarbageCollector build() {
      return new GarbageCollector(this);
    }
  }
}
