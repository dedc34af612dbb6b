package dev.hoist.remotes;

import dev.hoist.client.ProgressListener;
import dev.hoist.spec.Descriptor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Records progress events as short strings, and the bytes reported. Thread-safe. */
final class RecordingListener implements ProgressListener {

  final List<String> events = new ArrayList<>();
  final AtomicLong bytes = new AtomicLong();

  @Override
  public synchronized void downloading(Descriptor desc, long resumeOffset) {
    events.add("downloading " + resumeOffset);
  }

  @Override
  public void bytesTransferred(Descriptor desc, long count) {
    bytes.addAndGet(count);
  }

  @Override
  public synchronized void done(Descriptor desc) {
    events.add("done");
  }

  @Override
  public synchronized void exists(Descriptor desc) {
    events.add("exists");
  }

  @Override
  public synchronized void failed(Descriptor desc, Throwable error) {
    events.add("failed " + error.getClass().getSimpleName());
  }

  synchronized List<String> events() {
    return List.copyOf(events);
  }
}
