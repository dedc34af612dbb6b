package dev.hoist.client.internal;

import dev.hoist.remotes.Fetcher;
import dev.hoist.remotes.Resolved;
import dev.hoist.remotes.Resolver;
import dev.hoist.remotes.ResolverProvider;
import java.io.IOException;
import java.util.Objects;

/**
 * The default resolver of a {@code ResolverProvider}, built on first use: a context or client that
 * never resolves anything builds none (and so starts no thread and opens no socket). Closing it
 * closes the resolver it built.
 */
public final class ProvidedResolver implements Resolver {

  private final ResolverProvider provider;
  private Resolver resolver;
  private boolean closed;

  /**
   * @param provider makes the resolver, once
   */
  public ProvidedResolver(ResolverProvider provider) {
    this.provider = Objects.requireNonNull(provider, "provider");
  }

  /** The provider this resolver comes from. */
  public ResolverProvider provider() {
    return provider;
  }

  private synchronized Resolver resolver() {
    if (closed) {
      throw new IllegalStateException("the default resolver is closed");
    }
    if (resolver == null) {
      resolver =
          Objects.requireNonNull(provider.defaultResolver(), "ResolverProvider.defaultResolver()");
    }
    return resolver;
  }

  @Override
  public String normalize(String ref) {
    return resolver().normalize(ref);
  }

  @Override
  public Resolved resolve(String ref) throws IOException {
    return resolver().resolve(ref);
  }

  @Override
  public Fetcher fetcher(String ref) throws IOException {
    return resolver().fetcher(ref);
  }

  @Override
  public void close() {
    Resolver built;
    synchronized (this) {
      closed = true;
      built = resolver;
      resolver = null;
    }
    if (built != null) {
      built.close();
    }
  }
}
