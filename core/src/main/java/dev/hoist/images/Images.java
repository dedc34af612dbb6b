package dev.hoist.images;

import dev.hoist.content.Blobs;
import dev.hoist.content.ContentProvider;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.errors.NotFoundException;
import dev.hoist.images.internal.Documents;
import dev.hoist.images.internal.LimitManifestsHandler;
import dev.hoist.platforms.MatchComparer;
import dev.hoist.platforms.PlatformMatcher;
import dev.hoist.platforms.Platforms;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.ImageConfig;
import dev.hoist.spec.Index;
import dev.hoist.spec.Manifest;
import dev.hoist.spec.MediaTypes;
import dev.hoist.spec.OciJson;
import dev.hoist.spec.Platform;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Questions about an image already in a content store, as containerd's {@code images.Manifest},
 * {@code images.Platforms} and {@code Image.Size}. Manifests and indexes are read with the {@link
 * OciJson#DEFAULT_MAX_MANIFEST_BYTES} limit.
 *
 * <p>Throws {@link NotFoundException} when content is missing or nothing matches, {@link
 * InvalidArgumentException} when a document is malformed, and {@link
 * dev.hoist.errors.UnknownException} when the provider fails.
 */
public final class Images {

  private Images() {}

  /**
   * As {@link #manifest(ContentProvider, Descriptor, PlatformMatcher)} for {@code image.target()}.
   *
   * @param provider where the image's manifests and indexes are read
   * @param image the image whose target is the root
   * @param matcher the platforms accepted
   * @return the best-matching manifest
   * @throws NotFoundException when no manifest matches
   */
  public static Manifest manifest(ContentProvider provider, Image image, PlatformMatcher matcher) {
    return manifest(provider, image.target(), matcher);
  }

  /**
   * The config of {@code image}'s manifest for the platform {@code matcher} prefers.
   *
   * @param provider where the image's manifests, indexes and config are read
   * @param image the image
   * @param matcher the platforms accepted
   * @return the parsed image config
   * @throws NotFoundException when no manifest matches or the config is not stored
   * @throws dev.hoist.errors.InvalidArgumentException when the config is malformed
   */
  public static ImageConfig config(ContentProvider provider, Image image, PlatformMatcher matcher) {
    Manifest m = manifest(provider, image.target(), matcher);
    return OciJson.readConfig(Blobs.readAll(provider, m.config()), m.config().digest().toString());
  }

  /**
   * The manifest of {@code root} that best fits {@code matcher}: {@code root} itself when it is a
   * manifest (when it is reached through an index, its platform, or its config's, must match); for
   * an index, the matching entries in order of preference (when {@code matcher} is a {@link
   * MatchComparer}; else in index order), the first that yields a manifest.
   *
   * @param provider where the manifests, indexes and configs are read
   * @param root an index or a manifest
   * @param matcher the platforms accepted
   * @return the best-matching manifest
   * @throws NotFoundException when no manifest matches
   */
  public static Manifest manifest(
      ContentProvider provider, Descriptor root, PlatformMatcher matcher) {
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(matcher, "matcher");
    try {
      Optional<Manifest> found = find(provider, root, root, matcher, 0);
      if (found.isPresent()) {
        return found.get();
      }
    } catch (IOException e) {
      throw new dev.hoist.errors.UnknownException(
          "read " + root.digest() + ": " + e.getMessage(), e);
    }
    if (MediaTypes.isIndex(root.mediaType())) {
      throw new NotFoundException(
          "no match for platform " + matcher + " in manifest " + root.digest());
    }
    throw new NotFoundException("manifest " + root.digest() + ": not found");
  }

  private static Optional<Manifest> find(
      ContentProvider provider,
      Descriptor desc,
      Descriptor root,
      PlatformMatcher matcher,
      int depth)
      throws IOException {
    if (depth > Dispatch.MAX_DEPTH) {
      throw new InvalidArgumentException(
          "descriptor "
              + desc.digest()
              + ": image graph deeper than "
              + Dispatch.MAX_DEPTH
              + " levels");
    }
    long max = OciJson.DEFAULT_MAX_MANIFEST_BYTES;
    if (MediaTypes.isManifest(desc.mediaType())) {
      Manifest manifest = Documents.manifest(provider, desc, max);
      if (!desc.digest().equals(root.digest())) {
        if (desc.platform() != null) {
          if (!matcher.match(desc.platform())) {
            return Optional.empty();
          }
        } else {
          Platform p = Documents.config(provider, manifest.config(), max).platform();
          if (p == null || !matcher.match(p)) {
            return Optional.empty();
          }
        }
      }
      return Optional.of(manifest);
    }
    if (MediaTypes.isIndex(desc.mediaType())) {
      Index index = Documents.index(provider, desc, max);
      List<Descriptor> candidates = new ArrayList<>();
      for (Descriptor d : index.manifests()) {
        if (d.platform() == null || matcher.match(d.platform())) {
          candidates.add(d);
        }
      }
      if (matcher instanceof MatchComparer) {
        candidates.sort(LimitManifestsHandler.byPreference((MatchComparer) matcher));
      }
      for (Descriptor candidate : candidates) {
        if (candidate.digest().equals(desc.digest())) {
          continue; // an index listing itself
        }
        Optional<Manifest> found = find(provider, candidate, root, matcher, depth + 1);
        if (found.isPresent()) {
          return found;
        }
      }
      return Optional.empty();
    }
    throw new NotFoundException(
        "unexpected media type " + desc.mediaType() + " for " + desc.digest());
  }

  /**
   * Which blobs of the best manifest of {@code root} for {@code matcher} are in {@code store}, as
   * containerd's {@code images.Check}: the manifest's config and layers are required (the index and
   * manifest themselves must be readable to find them). When no manifest can be read (the root or
   * the manifest is missing, or none matches) the check is unavailable and names the root as
   * missing.
   *
   * @param store where the content should be
   * @param root the image's target
   * @param matcher the platform, e.g. {@link Platforms#defaultMatcher()} as ctr
   * @return the check
   * @throws InvalidArgumentException when a document is malformed
   */
  public static ImageCheck check(
      dev.hoist.content.ContentStore store, Descriptor root, PlatformMatcher matcher) {
    Objects.requireNonNull(store, "store");
    Manifest manifest;
    try {
      manifest = manifest(store, root, matcher);
    } catch (NotFoundException e) {
      return new ImageCheck(false, List.of(root), List.of(), List.of(root));
    }
    List<Descriptor> required = new ArrayList<>();
    required.add(manifest.config());
    required.addAll(manifest.layers());
    List<Descriptor> present = new ArrayList<>();
    List<Descriptor> missing = new ArrayList<>();
    for (Descriptor d : required) {
      boolean there;
      try {
        there = store.exists(d.digest());
      } catch (IOException e) {
        throw new dev.hoist.errors.UnknownException(
            "check " + d.digest() + ": " + e.getMessage(), e);
      }
      (there ? present : missing).add(d);
    }
    return new ImageCheck(true, required, present, missing);
  }

  /**
   * The platforms {@code root} offers: the platforms of an index's entries, or the platform of a
   * manifest's config (normalised) when its descriptor names none. Entries whose os or architecture
   * is {@code unknown} (attestations) are left out. Distinct, in walk order. Content below the root
   * that is not in {@code provider} (a platform not fetched) is skipped.
   *
   * @param provider where the manifests, indexes and configs are read
   * @param root an index or a manifest
   * @return the platforms, possibly empty
   * @throws NotFoundException when the root itself is missing
   */
  public static List<Platform> platforms(ContentProvider provider, Descriptor root) {
    Objects.requireNonNull(provider, "provider");
    Set<Platform> found = new LinkedHashSet<>();
    Handler collect =
        desc -> {
          Platform p = desc.platform();
          if (p != null) {
            if (!"unknown".equals(p.os()) && !"unknown".equals(p.architecture())) {
              synchronized (found) {
                found.add(p);
              }
            }
            throw HandlerSignal.SKIP_CHILDREN;
          }
          if (MediaTypes.isConfig(desc.mediaType())) {
            ImageConfig config;
            try {
              config = Documents.config(provider, desc, OciJson.DEFAULT_MAX_MANIFEST_BYTES);
            } catch (NotFoundException e) {
              return List.of(); // not fetched
            }
            if (config.platform() != null) {
              synchronized (found) {
                found.add(Platforms.normalize(config.platform()));
              }
            }
          }
          return List.of();
        };
    Handler children = Handlers.children(provider);
    Handler tolerant =
        desc -> {
          try {
            return children.handle(desc);
          } catch (NotFoundException e) {
            if (desc.digest().equals(root.digest())) {
              throw e;
            }
            return List.of(); // not fetched: it offers nothing we can read
          }
        };
    Dispatch.walk(Handlers.all(collect, tolerant), root);
    return List.copyOf(found);
  }

  /**
   * The bytes of {@code root} and what it references for the best match of {@code matcher}: the
   * index, one manifest, its config and layers (containerd's {@code Image.Size}). A blob listed
   * twice is counted once. Only the index and manifests must be in {@code provider}.
   *
   * @param provider where the manifests and indexes are read
   * @param root an index or a manifest
   * @param matcher the platforms accepted; the best match is counted
   * @return the total size in bytes
   */
  public static long size(ContentProvider provider, Descriptor root, PlatformMatcher matcher) {
    Objects.requireNonNull(provider, "provider");
    MatchComparer comparer = comparer(Objects.requireNonNull(matcher, "matcher"));
    AtomicLong size = new AtomicLong();
    Handler count =
        desc -> {
          size.addAndGet(desc.size());
          return List.of();
        };
    Dispatch.walk(
        Handlers.all(
            count,
            Handlers.children(provider).filterPlatforms(comparer).limitManifests(comparer, 1)),
        root);
    return size.get();
  }

  /** {@code matcher} itself when it ranks platforms; else a comparer that ranks them all equal. */
  static MatchComparer comparer(PlatformMatcher matcher) {
    if (matcher instanceof MatchComparer) {
      return (MatchComparer) matcher;
    }
    return new MatchComparer() {
      @Override
      public boolean match(Platform platform) {
        return matcher.match(platform);
      }

      @Override
      public int compare(Platform a, Platform b) {
        return 0;
      }

      @Override
      public String toString() {
        return matcher.toString();
      }
    };
  }
}
