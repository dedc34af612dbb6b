package dev.hoist.client.internal;

import dev.hoist.errors.NotFoundException;
import dev.hoist.images.Handler;
import dev.hoist.platforms.PlatformMatcher;
import dev.hoist.platforms.Platforms;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.MediaTypes;
import dev.hoist.spec.Platform;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Fails a fetch whose index offers platforms of which none is wanted. containerd's {@code Fetch}
 * succeeds then with the index alone and records an image that holds nothing runnable; Hoist says
 * instead what was wanted and what the index offers, before anything else is fetched. Wraps the
 * unfiltered children handler, so it sees every entry of the index.
 */
public final class RequireMatchingManifest implements Handler {

  static final int MAX_LISTED = 16;

  private final Handler inner;
  private final PlatformMatcher matcher;
  private final String wanted;

  private RequireMatchingManifest(Handler inner, PlatformMatcher matcher, String wanted) {
    this.inner = inner;
    this.matcher = matcher;
    this.wanted = wanted;
  }

  /**
   * Wraps {@code children}.
   *
   * @param wanted how the wanted platforms are named in the error, e.g. {@code linux/amd64}
   */
  public static Handler wrap(Handler children, PlatformMatcher matcher, String wanted) {
    return new RequireMatchingManifest(
        Objects.requireNonNull(children, "children"),
        Objects.requireNonNull(matcher, "matcher"),
        wanted);
  }

  /** At most {@value #MAX_LISTED} platforms: a hostile index may offer thousands. */
  private static String list(Set<String> offered) {
    if (offered.size() <= MAX_LISTED) {
      return String.join(", ", offered);
    }
    List<String> first = new java.util.ArrayList<>(offered).subList(0, MAX_LISTED);
    return String.join(", ", first) + " and " + (offered.size() - MAX_LISTED) + " more";
  }

  @Override
  public List<Descriptor> handle(Descriptor desc) throws IOException {
    List<Descriptor> children = inner.handle(desc);
    if (children == null || !MediaTypes.isIndex(desc.mediaType()) || children.isEmpty()) {
      return children;
    }
    Set<String> offered = new LinkedHashSet<>();
    for (Descriptor child : children) {
      Platform p = child.platform();
      if (p == null || matcher.match(p)) {
        return children; // something is wanted (an entry without a platform is always taken)
      }
      if (!"unknown".equals(p.os()) && !"unknown".equals(p.architecture())) {
        offered.add(Platforms.format(p)); // attestation manifests are not platforms anyone wants
      }
    }
    throw new NotFoundException(
        "no manifest for platform "
            + wanted
            + " in index "
            + desc.digest()
            + "; it offers "
            + (offered.isEmpty() ? "no platform" : list(offered))
            + " (choose one with --platform / RemoteContext.platforms, or fetch all platforms)");
  }
}
