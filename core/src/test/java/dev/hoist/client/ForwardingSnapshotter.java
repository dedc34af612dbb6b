package dev.hoist.client;

import dev.hoist.snapshots.Mount;
import dev.hoist.snapshots.SnapshotInfo;
import dev.hoist.snapshots.Snapshotter;
import dev.hoist.snapshots.Usage;
import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Forwards every call; tests override one to inject a race or a fault. */
class ForwardingSnapshotter implements Snapshotter {
  private final Snapshotter delegate;

  ForwardingSnapshotter(Snapshotter delegate) {
    this.delegate = delegate;
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public SnapshotInfo stat(String key) throws IOException {
    return delegate.stat(key);
  }

  @Override
  public List<Mount> mounts(String key) throws IOException {
    return delegate.mounts(key);
  }

  @Override
  public List<Mount> prepare(String key, String parent, Map<String, String> labels)
      throws IOException {
    return delegate.prepare(key, parent, labels);
  }

  @Override
  public List<Mount> prepareOnPending(
      String key, String parent, String parentKey, Map<String, String> labels) throws IOException {
    return delegate.prepareOnPending(key, parent, parentKey, labels);
  }

  @Override
  public boolean preparesOnPending() {
    return delegate.preparesOnPending();
  }

  @Override
  public List<Mount> view(String key, String parent, Map<String, String> labels)
      throws IOException {
    return delegate.view(key, parent, labels);
  }

  @Override
  public void commit(String name, String key, Map<String, String> labels) throws IOException {
    delegate.commit(name, key, labels);
  }

  @Override
  public void remove(String key) throws IOException {
    delegate.remove(key);
  }

  @Override
  public void walk(Consumer<SnapshotInfo> visitor) throws IOException {
    delegate.walk(visitor);
  }

  @Override
  public Usage usage(String key) throws IOException {
    return delegate.usage(key);
  }

  @Override
  public Closeable lock(String name) throws IOException {
    return delegate.lock(name);
  }
}
