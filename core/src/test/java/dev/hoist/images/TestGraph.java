package dev.hoist.images;

import dev.hoist.digest.Digest;
import dev.hoist.spec.Descriptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A synthetic descriptor graph and a handler that walks it, counting calls per digest. */
final class TestGraph implements Handler {

  private final Map<Digest, List<Descriptor>> edges = new ConcurrentHashMap<>();
  private final Map<Digest, AtomicInteger> handled = new ConcurrentHashMap<>();

  /** A descriptor named {@code name} (its digest is the name's). */
  static Descriptor d(String name) {
    return Descriptor.of("application/x-test", Digest.sha256(name), name.length());
  }

  void edge(Descriptor parent, Descriptor... children) {
    edges.computeIfAbsent(parent.digest(), k -> new ArrayList<>()).addAll(List.of(children));
  }

  /** How often {@code desc} was handled. */
  int count(Descriptor desc) {
    AtomicInteger n = handled.get(desc.digest());
    return n == null ? 0 : n.get();
  }

  /** Calls per digest. */
  Map<Digest, AtomicInteger> handled() {
    return handled;
  }

  @Override
  public List<Descriptor> handle(Descriptor desc) {
    handled.computeIfAbsent(desc.digest(), k -> new AtomicInteger()).incrementAndGet();
    return new ArrayList<>(edges.getOrDefault(desc.digest(), List.of()));
  }
}
