package dev.hoist.remotes.docker;

import dev.hoist.errors.InvalidArgumentException;
import java.util.Locale;

/** What a registry host may be asked to do, as containerd's {@code HostCapabilities}. */
public enum HostCapability {
  /** Fetch manifests and blobs by digest. */
  PULL,
  /** Resolve a tag to a digest. */
  RESOLVE,
  /** Push content. */
  PUSH,
  /** Answer the referrers API (accepted, not used yet). */
  REFERRERS;

  /**
   * Parses a capability name case-insensitively; unknown names are an {@link
   * InvalidArgumentException}.
   *
   * @param name e.g. {@code pull} or {@code RESOLVE}
   * @return the capability
   * @throws InvalidArgumentException when {@code name} is unknown
   */
  public static HostCapability parse(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new InvalidArgumentException(
          "unknown host capability \"" + name + "\" (expected pull, resolve, push or referrers)");
    }
  }
}
