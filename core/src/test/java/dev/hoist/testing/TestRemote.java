package dev.hoist.testing;

import dev.hoist.digest.Digest;
import dev.hoist.errors.NotFoundException;
import dev.hoist.remotes.RangeFetcher;
import dev.hoist.remotes.Resolved;
import dev.hoist.remotes.Resolver;
import dev.hoist.spec.Descriptor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * An in-memory registry: a {@link Resolver} over tagged descriptors and a {@link RangeFetcher} over
 * blobs. Counts fetches per digest, and can be told to fail or corrupt a blob. Thread-safe.
 */
public final class TestRemote implements Resolver {

  private final Map<String, Descriptor> tags = new ConcurrentHashMap<>();
  private final Map<Digest, byte[]> blobs = new ConcurrentHashMap<>();
  private final Map<Digest, Integer> fetches = new ConcurrentHashMap<>();
  private final Map<Digest, IOException> failures = new ConcurrentHashMap<>();
  private final Set<Digest> corrupted = ConcurrentHashMap.newKeySet();
  private final List<String> resolves = new CopyOnWriteArrayList<>();
  private volatile Consumer<Descriptor> onFetch = d -> {};

  /** Tags {@code image}'s root as {@code ref} (a full reference) and serves all its blobs. */
  public TestRemote add(String ref, TestImages image) {
    blobs.putAll(image.blobs());
    return tag(ref, image.root());
  }

  /** Serves {@code data} under its digest. */
  public TestRemote blob(byte[] data) {
    blobs.put(Digest.sha256(data), data.clone());
    return this;
  }

  /** Serves {@code data} under {@code digest}, whatever its real digest. */
  public TestRemote blob(Digest digest, byte[] data) {
    blobs.put(digest, data.clone());
    return this;
  }

  public TestRemote tag(String ref, Descriptor desc) {
    tags.put(ref, desc);
    return this;
  }

  /** Fetches of {@code digest} throw {@code error}. */
  public TestRemote failOn(Digest digest, IOException error) {
    failures.put(digest, error);
    return this;
  }

  /** Fetches of {@code digest} return its bytes with the last one changed. */
  public TestRemote corrupt(Digest digest) {
    corrupted.add(digest);
    return this;
  }

  /** Called on the fetching thread before each fetch opens; may block (tests use latches). */
  public TestRemote onFetch(Consumer<Descriptor> hook) {
    this.onFetch = hook;
    return this;
  }

  public int fetchCount(Digest digest) {
    return fetches.getOrDefault(digest, 0);
  }

  /** Fetch counts by digest, sorted by digest. */
  public Map<Digest, Integer> fetchCounts() {
    return new TreeMap<>(fetches);
  }

  /** The digests fetched at least once. */
  public Set<Digest> fetched() {
    return new TreeMap<>(fetches).keySet();
  }

  /** The refs resolved, in order. */
  public List<String> resolves() {
    return new ArrayList<>(resolves);
  }

  @Override
  public Resolved resolve(String ref) {
    resolves.add(ref);
    Descriptor desc = tags.get(ref);
    if (desc == null) {
      throw new NotFoundException("resolve " + ref + ": not found");
    }
    return new Resolved(ref, desc);
  }

  @Override
  public RangeFetcher fetcher(String ref) {
    return new RangeFetcher() {
      @Override
      public InputStream fetch(Descriptor desc, long offset) throws IOException {
        fetches.merge(desc.digest(), 1, Integer::sum);
        onFetch.accept(desc);
        IOException failure = failures.get(desc.digest());
        if (failure != null) {
          throw failure;
        }
        byte[] data = blobs.get(desc.digest());
        if (data == null) {
          throw new NotFoundException("fetch " + desc.digest() + " from " + ref + ": not found");
        }
        if (corrupted.contains(desc.digest()) && data.length > 0) {
          data = data.clone();
          data[data.length - 1] ^= 0x5a;
        }
        int from = (int) Math.min(offset, data.length);
        return new ByteArrayInputStream(data, from, data.length - from);
      }
    };
  }
}
