package dev.hoist.cli.progress;

import dev.hoist.client.ProgressListener;
import dev.hoist.content.IngestRefs;
import dev.hoist.spec.Descriptor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Collects fetch events into the rows of a {@code ctr content fetch}-style table. Thread-safe;
 * every event is cheap (a map update under a short lock) and never blocks on output.
 */
public final class FetchProgress implements ProgressListener {

  private final Clock clock;
  private final Instant started;
  private final Consumer<String> changes;
  private final Map<String, Row> rows = new LinkedHashMap<>();
  private final AtomicLong transferred = new AtomicLong();
  private volatile String ref = "";
  private volatile String refState = "resolving";

  /**
   * @param changes receives one line per state change (the plain display); may be a no-op
   */
  public FetchProgress(Clock clock, Consumer<String> changes) {
    this.clock = clock;
    this.started = clock.instant();
    this.changes = changes;
  }

  @Override
  public void resolving(String r) {
    ref = r;
    refState = "resolving";
    changes.accept(r + ": resolving");
  }

  @Override
  public void resolved(String r, Descriptor root) {
    ref = r;
    refState = "resolved";
    changes.accept(r + ": resolved " + root.digest());
  }

  @Override
  public void waiting(Descriptor desc) {
    set(desc, BlobState.WAITING, -1);
  }

  @Override
  public void downloading(Descriptor desc, long resumeOffset) {
    set(desc, BlobState.DOWNLOADING, resumeOffset);
  }

  @Override
  public void bytesTransferred(Descriptor desc, long count) {
    transferred.addAndGet(count);
    synchronized (rows) {
      Row row = rows.computeIfAbsent(IngestRefs.of(desc), k -> new Row(desc.size()));
      row.offset += count;
      if (row.state == BlobState.WAITING) {
        row.state = BlobState.DOWNLOADING;
      }
    }
  }

  @Override
  public void done(Descriptor desc) {
    set(desc, BlobState.DONE, desc.size());
  }

  @Override
  public void exists(Descriptor desc) {
    set(desc, BlobState.EXISTS, desc.size());
  }

  @Override
  public void failed(Descriptor desc, Throwable error) {
    set(desc, BlobState.FAILED, -1);
  }

  private void set(Descriptor desc, BlobState state, long offset) {
    String key = IngestRefs.of(desc);
    boolean changed;
    synchronized (rows) {
      Row row = rows.get(key);
      boolean fresh = row == null;
      if (fresh) {
        row = new Row(desc.size());
        rows.put(key, row);
      }
      changed = fresh || row.state != state;
      // A late "waiting" must not move a row backwards.
      if (row.state.finished() && !state.finished()) {
        return;
      }
      row.state = state;
      if (offset >= 0) {
        row.offset = offset;
      }
    }
    if (changed) {
      changes.accept(key + ": " + state.label() + (state == BlobState.DOWNLOADING && offset > 0 ? " (resuming at " + offset + ")" : ""));
    }
  }

  /** The reference being fetched and whether it is resolved. */
  public String ref() {
    return ref;
  }

  public String refState() {
    return refState;
  }

  /** Bytes downloaded in this fetch (resumed bytes already on disk are not counted). */
  public long transferred() {
    return transferred.get();
  }

  public Duration elapsed() {
    return Duration.between(started, clock.instant());
  }

  /** A snapshot of the rows in the order the blobs were first seen. */
  public List<BlobRow> rows() {
    synchronized (rows) {
      List<BlobRow> out = new ArrayList<>(rows.size());
      rows.forEach((k, r) -> out.add(new BlobRow(k, r.state, r.offset, r.total)));
      return out;
    }
  }

  private static final class Row {
    final long total;
    BlobState state = BlobState.WAITING;
    long offset;

    Row(long total) {
      this.total = total;
    }
  }
}
