package dev.hoist.unpack;

import dev.hoist.digest.Digest;
import dev.hoist.unpack.internal.tar.ProcessIdentity;
import java.util.Optional;

/**
 * The options of a {@link TarApplier}. Immutable and thread-safe; build with {@link #builder()}:
 *
 * <pre>{@code
 * ApplyOptions options = ApplyOptions.builder()
 *     .maxUncompressedBytes(8L << 30)
 *     .expectedDiffId(Digest.parse(config.rootfs().diffIds().get(i)))
 *     .build();
 * }</pre>
 *
 * <p>Defaults: at most {@value #DEFAULT_MAX_UNCOMPRESSED_BYTES} uncompressed bytes and {@value
 * #DEFAULT_MAX_ENTRIES} entries per layer (generous bounds against decompression bombs); not strict
 * (what cannot be applied is skipped and counted in {@link SkipCounts}); owners preserved when this
 * process runs as root, as containerd and GNU tar do; no expected DiffID.
 */
public final class ApplyOptions {

  /** The default bound on one layer's uncompressed bytes: 64 GiB. */
  public static final long DEFAULT_MAX_UNCOMPRESSED_BYTES = 64L << 30;

  /** The default bound on one layer's tar entries: ten million. */
  public static final long DEFAULT_MAX_ENTRIES = 10_000_000L;

  private final long maxUncompressedBytes;
  private final long maxEntries;
  private final boolean strict;
  private final boolean preserveOwnership;
  private final Digest expectedDiffId;

  private ApplyOptions(Builder b) {
    this.maxUncompressedBytes = b.maxUncompressedBytes;
    this.maxEntries = b.maxEntries;
    this.strict = b.strict;
    this.preserveOwnership =
        b.preserveOwnership != null ? b.preserveOwnership : ProcessIdentity.current().isRoot();
    this.expectedDiffId = b.expectedDiffId;
  }

  /** {@return a builder with the defaults} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the default options} */
  public static ApplyOptions defaults() {
    return builder().build();
  }

  /**
   * {@return a builder holding these options, to derive a variant (e.g. another expected DiffID)}
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.maxUncompressedBytes = maxUncompressedBytes;
    b.maxEntries = maxEntries;
    b.strict = strict;
    b.preserveOwnership = preserveOwnership;
    b.expectedDiffId = expectedDiffId;
    return b;
  }

  /** {@return the bound on the uncompressed bytes of one layer} */
  public long maxUncompressedBytes() {
    return maxUncompressedBytes;
  }

  /** {@return the bound on the tar entries of one layer} */
  public long maxEntries() {
    return maxEntries;
  }

  /** {@return true when what cannot be applied (owners, devices, xattrs) fails the layer} */
  public boolean strict() {
    return strict;
  }

  /** {@return true when entries' uid/gid are applied (needs root)} */
  public boolean preserveOwnership() {
    return preserveOwnership;
  }

  /** {@return the DiffID the layer must hash to, if one was set} */
  public Optional<Digest> expectedDiffId() {
    return Optional.ofNullable(expectedDiffId);
  }

  @Override
  public String toString() {
    return "ApplyOptions{maxUncompressedBytes="
        + maxUncompressedBytes
        + ", maxEntries="
        + maxEntries
        + ", strict="
        + strict
        + ", preserveOwnership="
        + preserveOwnership
        + ", expectedDiffId="
        + expectedDiffId
        + "}";
  }

  /** Builds {@link ApplyOptions}. Not thread-safe; each option may be set once. */
  public static final class Builder {
    private long maxUncompressedBytes = DEFAULT_MAX_UNCOMPRESSED_BYTES;
    private long maxEntries = DEFAULT_MAX_ENTRIES;
    private boolean strict;
    private Boolean preserveOwnership;
    private Digest expectedDiffId;
    private int set;

    private Builder() {}

    /**
     * Sets the bound on one layer's uncompressed bytes; past it the apply fails.
     *
     * @param bytes a positive number of bytes
     * @return this builder
     * @throws IllegalArgumentException if {@code bytes} is not positive
     */
    public Builder maxUncompressedBytes(long bytes) {
      once(1, "maxUncompressedBytes");
      if (bytes <= 0) {
        throw new IllegalArgumentException("maxUncompressedBytes must be positive: " + bytes);
      }
      this.maxUncompressedBytes = bytes;
      return this;
    }

    /**
     * Sets the bound on one layer's tar entries; past it the apply fails.
     *
     * @param entries a positive count
     * @return this builder
     * @throws IllegalArgumentException if {@code entries} is not positive
     */
    public Builder maxEntries(long entries) {
      once(2, "maxEntries");
      if (entries <= 0) {
        throw new IllegalArgumentException("maxEntries must be positive: " + entries);
      }
      this.maxEntries = entries;
      return this;
    }

    /**
     * Makes what cannot be applied (owners, device nodes, fifos, xattrs, setuid bits) fail the
     * layer with a {@code FailedPreconditionException} instead of being skipped and counted.
     *
     * @param strict true to fail
     * @return this builder
     */
    public Builder strict(boolean strict) {
      once(4, "strict");
      this.strict = strict;
      return this;
    }

    /**
     * Sets whether entries' uid/gid are applied (default: when running as root).
     *
     * @param preserve true to apply owners
     * @return this builder
     */
    public Builder preserveOwnership(boolean preserve) {
      once(8, "preserveOwnership");
      this.preserveOwnership = preserve;
      return this;
    }

    /**
     * Sets the DiffID the uncompressed stream must hash to; a different one fails the apply with a
     * {@code DigestMismatchException} after the whole stream was read.
     *
     * @param diffId nullable: null checks nothing
     * @return this builder
     */
    public Builder expectedDiffId(Digest diffId) {
      once(16, "expectedDiffId");
      this.expectedDiffId = diffId;
      return this;
    }

    /** {@return the options} */
    public ApplyOptions build() {
      return new ApplyOptions(this);
    }

    private void once(int bit, String name) {
      if ((set & bit) != 0) {
        throw new IllegalStateException(name + " already set");
      }
      set |= bit;
    }
  }
}
