package dev.hoist.cli.progress;

import dev.hoist.client.ProgressListener;
import dev.hoist.content.IngestRefs;
import dev.hoist.digest.Digest;
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
 * Collects fetch events into rows, totals and a rate: what the terminal table, the plain log and
 * the final summary line show. Thread-safe; every event is cheap (a map update under a short lock)
 * and never blocks on output.
 *
 * <p>The plain log (the {@code log} consumer) gets a line when a blob starts downloading and when
 * it ends, each with its size; {@link #progressLines(Duration)} adds lines for long downloads.
 */
public final class FetchProgress implements ProgressListener {

  private final Clock clock;
  private final Instant started;
  private final Consumer<String> log;
  private final Map<String, Row> rows = new LinkedHashMap<>();
  private final AtomicLong transferred = new AtomicLong();
  private final RateMeter rate;
  private volatile String ref = "";
  private volatile String refState = "resolving";

  /**
   * @param clock the time source (tests pass a controllable one)
   * @param log receives the plain log's lines; null for the other displays (no line is built)
   */
  public FetchProgress(Clock clock, Consumer<String> log) {
    this.clock = clock;
    this.started = clock.instant();
    this.log = log;
    this.rate = new RateMeter(Duration.ofSeconds(3));
  }

  @Override
  public void resolving(String r) {
    ref = r;
    refState = "resolving";
    if (log != null) {
      log.accept(r + ": resolving");
    }
  }

  @Override
  public void resolved(String r, Descriptor root) {
    ref = r;
    refState = "resolved";
    if (log != null) {
      log.accept(r + ": resolved " + root.digest());
    }
  }

  @Override
  public void waiting(Descriptor desc) {
    set(desc, BlobState.WAITING, -1, null);
  }

  @Override
  public void downloading(Descriptor desc, long resumeOffset) {
    set(desc, BlobState.DOWNLOADING, resumeOffset, null);
  }

  @Override
  public void bytesTransferred(Descriptor desc, long count) {
    transferred.addAndGet(count);
    synchronized (rows) {
      Row row =
          rows.computeIfAbsent(IngestRefs.of(desc), k -> new Row(desc.size(), clock.instant()));
      row.offset += count;
      if (row.state == BlobState.WAITING) {
        row.state = BlobState.DOWNLOADING;
      }
    }
  }

  @Override
  public void done(Descriptor desc) {
    set(desc, BlobState.DONE, desc.size(), null);
  }

  @Override
  public void exists(Descriptor desc) {
    set(desc, BlobState.EXISTS, desc.size(), null);
  }

  @Override
  public void failed(Descriptor desc, Throwable error) {
    set(desc, BlobState.FAILED, -1, error);
  }

  // A pull's unpack events mark the layer's row (the live table shows them); a layer without a row
  // (reused: never downloaded) gets none. The plain log's unpack lines come from the pull command.
  @Override
  public void unpacking(Descriptor layer) {
    setUnpack(layer, UnpackState.UNPACKING);
  }

  @Override
  public void unpacked(Descriptor layer, Digest chainId, boolean reused) {
    setUnpack(layer, UnpackState.UNPACKED);
  }

  private void setUnpack(Descriptor layer, UnpackState state) {
    synchronized (rows) {
      Row row = rows.get(IngestRefs.of(layer));
      if (row != null) {
        row.unpack = state;
      }
    }
  }

  private void set(Descriptor desc, BlobState state, long offset, Throwable error) {
    String key = IngestRefs.of(desc);
    Instant now = clock.instant();
    String line;
    synchronized (rows) {
      Row row = rows.get(key);
      boolean fresh = row == null;
      if (fresh) {
        row = new Row(desc.size(), now);
        rows.put(key, row);
      }
      // A late "waiting" must not move a row backwards.
      if (row.state.finished() && !state.finished()) {
        return;
      }
      boolean changed = fresh || row.state != state;
      if (state == BlobState.DOWNLOADING && row.state != BlobState.DOWNLOADING) {
        row.startedAt = now;
        row.resumedAt = Math.max(0, offset);
        row.reportedAt = now;
      }
      row.state = state;
      if (offset >= 0) {
        row.offset = offset;
      }
      line = changed && log != null ? logLine(key, row, now, error) : null;
    }
    if (line != null) {
      log.accept(line);
    }
  }

  /**
   * The plain log's line for a row that just changed state, or null for states it does not report.
   */
  private static String logLine(String key, Row row, Instant now, Throwable error) {
    switch (row.state) {
      case DOWNLOADING:
        return key
            + ": downloading "
            + Units.bytes(row.total)
            + (row.resumedAt > 0 ? " (resuming at " + Units.bytes(row.resumedAt) + ")" : "");
      case DONE:
        Duration took =
            row.startedAt == null ? Duration.ZERO : Duration.between(row.startedAt, now);
        return key
            + ": done "
            + Units.bytes(row.total)
            + " in "
            + Units.seconds(took)
            + " ("
            + Units.rate(row.total - row.resumedAt, took)
            + ")";
      case EXISTS:
        return key + ": exists " + Units.bytes(row.total);
      case FAILED:
        String why =
            error == null || error.getMessage() == null
                ? ""
                : ": " + error.getMessage().lines().findFirst().orElse("");
        return key + ": failed" + why;
      default:
        return null;
    }
  }

  /**
   * Lines for the plain log about downloads that have run for {@code every} since their last line:
   * bytes so far, percentage and rate. Called periodically by the plain display.
   *
   * @param every how long a download runs between two of its progress lines
   * @return one line per such download, possibly none
   */
  public List<String> progressLines(Duration every) {
    Instant now = clock.instant();
    List<String> out = new ArrayList<>();
    synchronized (rows) {
      for (Map.Entry<String, Row> e : rows.entrySet()) {
        Row r = e.getValue();
        if (r.state != BlobState.DOWNLOADING
            || r.reportedAt == null
            || Duration.between(r.reportedAt, now).compareTo(every) < 0) {
          continue;
        }
        r.reportedAt = now;
        long pct = r.total <= 0 ? 100 : r.offset * 100 / r.total;
        out.add(
            e.getKey()
                + ": "
                + Units.bytes(r.offset)
                + "/"
                + Units.bytes(r.total)
                + " ("
                + pct
                + "%), "
                + Units.rate(r.offset - r.resumedAt, Duration.between(r.startedAt, now)));
      }
    }
    return out;
  }

  /** The reference being fetched. */
  public String ref() {
    return ref;
  }

  /** {@code resolving} or {@code resolved}. */
  public String refState() {
    return refState;
  }

  /** Bytes downloaded in this fetch (resumed bytes already on disk are not counted). */
  public long transferred() {
    return transferred.get();
  }

  /** Time since the fetch started. */
  public Duration elapsed() {
    return Duration.between(started, clock.instant());
  }

  /**
   * Bytes per second over the last few seconds, sampled now; for the live display.
   *
   * @return the recent download rate, 0 before anything arrived
   */
  public double recentRate() {
    return rate.sample(clock.instant(), transferred.get());
  }

  /** A snapshot of the rows in the order the blobs were first seen. */
  public List<BlobRow> rows() {
    synchronized (rows) {
      List<BlobRow> out = new ArrayList<>(rows.size());
      rows.forEach((k, r) -> out.add(new BlobRow(k, r.state, r.offset, r.total, r.unpack)));
      return out;
    }
  }

  private static final class Row {
    final long total;
    BlobState state = BlobState.WAITING;
    UnpackState unpack = UnpackState.NONE;
    long offset;
    long resumedAt;
    Instant startedAt;
    Instant reportedAt;

    Row(long total, Instant now) {
      this.total = total;
      this.startedAt = now;
    }
  }
}
