package dev.hoist.unpack;

import dev.hoist.digest.Digest;
import dev.hoist.errors.DigestMismatchException;
import dev.hoist.errors.FailedPreconditionException;
import dev.hoist.errors.HoistException;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.errors.UnknownException;
import dev.hoist.unpack.internal.tar.Decompression;
import dev.hoist.unpack.internal.tar.DigestingInputStream;
import dev.hoist.unpack.internal.tar.EntryNames;
import dev.hoist.unpack.internal.tar.GuardedTarInputStream;
import dev.hoist.unpack.internal.tar.LayerWriter;
import dev.hoist.unpack.internal.tar.PipelinedInputStream;
import dev.hoist.unpack.internal.tar.TarReadException;
import dev.hoist.unpack.internal.tar.TrackedSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies OCI/Docker layer tars onto a directory, as containerd's {@code archive.Apply} does for
 * its native snapshotter. Thread-safe; one call per layer.
 *
 * <pre>{@code
 * TarApplier applier = TarApplier.create(ApplyOptions.builder().expectedDiffId(diffId).build());
 * try (InputStream layer = Files.newInputStream(blob)) {
 *   ApplyResult r = applier.apply(layer, rootfs);
 *   log.info("{} {} ({})", r.diffId(), r.entries(), r.skipped().summary());
 * }
 * }</pre>
 *
 * <p>What it does: decompresses by magic bytes (gzip, including multi-member; zstd; else plain
 * tar); hashes the whole uncompressed stream (the DiffID); creates regular files, directories,
 * symlinks, hardlinks, fifos, and device nodes when root; applies modes (setuid/setgid/sticky
 * included), owners when {@link ApplyOptions#preserveOwnership()}, {@code user.*} xattrs, and
 * modification times (directories' after their contents); applies OCI whiteouts ({@code .wh.NAME}
 * removes NAME of lower layers; {@code .wh..wh..opq} hides everything of lower layers in its
 * directory), never writing the markers.
 *
 * <p>Safety: every entry's directory part is resolved inside {@code root} with symlinks evaluated
 * as if {@code root} were {@code /} (containerd's {@code fs.RootPath}); {@code ..} and absolute
 * names are clamped at the root; nothing is ever opened for writing through a symlink; hardlink
 * targets resolve inside the root. Whatever the tar says, nothing outside {@code root} is written,
 * removed or changed. A failed apply may leave {@code root} half-written: the caller discards it.
 */
public final class TarApplier {

  private static final Logger log = LoggerFactory.getLogger(TarApplier.class);

  // Sizes measured on a 569 MiB gzip layer (bench/RESULTS.md): large chunks keep per-call costs
  // (JNI into zlib, queue hand-offs, write syscalls) negligible; the hash buffer only serves the
  // small tail reads of a chunk, the large ones go straight from the decompressor into the chunk.
  static final int INPUT_BUFFER = 256 << 10;
  static final int HASH_BUFFER = 64 << 10;
  static final int CHUNK = 1 << 20;
  static final int COPY_BUFFER = 1 << 20;

  private final ApplyOptions options;

  private TarApplier(ApplyOptions options) {
    this.options = options;
  }

  /**
   * Returns an applier with {@code options}.
   *
   * @param options the limits and policies of every apply
   * @return the applier
   */
  public static TarApplier create(ApplyOptions options) {
    return new TarApplier(Objects.requireNonNull(options, "options"));
  }

  /** {@return the options of this applier} */
  public ApplyOptions options() {
    return options;
  }

  /**
   * Reads {@code layer} (gzip, zstd or plain tar, detected by magic bytes like containerd), applies
   * it onto {@code root} (a directory holding the lower layers' files, or empty), hashes the
   * uncompressed stream to its end, and returns what it did. Never writes outside {@code root}.
   * Does not close {@code layer}.
   *
   * @param layer the layer blob as stored (compressed or not)
   * @param root an existing directory
   * @return the DiffID, sizes and skip counts
   * @throws IOException if reading {@code layer} fails (passed on as thrown)
   * @throws InvalidArgumentException for a malformed or hostile layer, naming the entry, or when
   *     {@code root} is not a directory
   * @throws FailedPreconditionException when a limit of the options is exceeded, or, when strict,
   *     something cannot be applied
   * @throws DigestMismatchException when the options expect another DiffID
   * @throws UnknownException when writing under {@code root} fails (disk full, permissions)
   * @throws CancellationException when the calling thread is interrupted (its flag is set again)
   */
  public ApplyResult apply(InputStream layer, Path root) throws IOException {
    return apply(layer, root, null, null);
  }

  /**
   * As {@link #apply(InputStream, Path)}, but writes the layer as an overlay diff into {@code
   * upper} over the read-only {@code lowers} (the parents' diffs, nearest first), as docker's
   * overlay2 does: only this layer's entries are written; a whiteout becomes a character device 0/0
   * and an opaque directory gets {@code user.overlay.opaque=y} (see {@link OverlaySnapshotter}); a
   * directory an entry needs but the tar does not list is created with the lower directory's mode,
   * owner and mtime; a hardlink to a lower file copies that file up first. Lookups in the lowers
   * never follow symlinks (a symlinked directory in a lower layer is shadowed by the directory the
   * entry needs). Nothing outside {@code upper} is ever written.
   *
   * @param layer the layer blob as stored (compressed or not)
   * @param upper an existing (normally empty) directory
   * @param lowers the lower directories, nearest first; read, never written
   * @return the DiffID, sizes and skip counts
   * @throws IOException if reading {@code layer} fails (passed on as thrown)
   * @throws InvalidArgumentException for a malformed or hostile layer, naming the entry, or when
   *     {@code upper} is not a directory
   * @throws FailedPreconditionException when a limit is exceeded, when strict and something cannot
   *     be applied, or when a whiteout or opaque marker cannot be written (no unprivileged mknod
   *     0/0, no user xattrs): use the native snapshotter then
   * @throws DigestMismatchException when the options expect another DiffID
   * @throws UnknownException when writing under {@code upper} fails (disk full, permissions)
   * @throws CancellationException when the calling thread is interrupted (its flag is set again)
   */
  public ApplyResult applyOverlay(InputStream layer, Path upper, List<Path> lowers)
      throws IOException {
    return applyOverlay(layer, upper, lowers, null);
  }

  /**
   * As {@link #applyOverlay(InputStream, Path, List)}, with lowers that may still be being written:
   * {@code lowersReady} runs (once, on this thread) before they are first read, and waits until
   * they are complete or throws. Most entries of a layer never read the lowers.
   */
  ApplyResult applyOverlay(InputStream layer, Path upper, List<Path> lowers, Runnable lowersReady)
      throws IOException {
    return apply(layer, upper, List.copyOf(Objects.requireNonNull(lowers, "lowers")), lowersReady);
  }

  private ApplyResult apply(InputStream layer, Path root, List<Path> lowers, Runnable lowersReady)
      throws IOException {
    Objects.requireNonNull(layer, "layer");
    Objects.requireNonNull(root, "root");
    if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(root)) {
      throw new InvalidArgumentException("apply layer: " + root + " is not a directory");
    }
    Path real = root.toRealPath();
    TrackedSource source = new TrackedSource(layer);
    Decompression.Detected detected = Decompression.detect(source);
    long entries = 0;
    DigestingInputStream hashed =
        new DigestingInputStream(
            Decompression.open(detected, INPUT_BUFFER),
            HASH_BUFFER,
            options.maxUncompressedBytes());
    try (PipelinedInputStream plain = new PipelinedInputStream(hashed, CHUNK);
        GuardedTarInputStream tar = new GuardedTarInputStream(plain)) {
      LayerWriter writer =
          new LayerWriter(
              real,
              lowers,
              lowersReady,
              options.strict(),
              options.preserveOwnership(),
              COPY_BUFFER);
      TarArchiveEntry e;
      while ((e = next(tar, source, entries)) != null) {
        if (++entries > options.maxEntries()) {
          throw new FailedPreconditionException(
              "layer: more than " + options.maxEntries() + " tar entries (the limit)");
        }
        applyEntry(writer, e, tar, source);
      }
      try {
        plain.drain(); // the DiffID covers the whole stream, padding after the end marker included
      } catch (IOException x) {
        throw classify(x, source, "after the tar end");
      }
      writer.finish();
      Digest diffId = plain.digest();
      if (options.expectedDiffId().isPresent() && !options.expectedDiffId().get().equals(diffId)) {
        throw new DigestMismatchException(options.expectedDiffId().get(), diffId);
      }
      ApplyResult result = new ApplyResult(diffId, plain.count(), entries, writer.skipped());
      log.debug(
          "applied layer diffId={} size={} entries={} format={} {}",
          diffId,
          result.uncompressedSize(),
          entries,
          detected.format(),
          result.skipped().summary());
      return result;
    }
  }

  private static TarArchiveEntry next(GuardedTarInputStream tar, TrackedSource source, long entries)
      throws IOException {
    try {
      return tar.getNextEntry();
    } catch (IOException x) {
      throw classify(x, source, "after entry " + entries);
    } catch (CancellationException x) {
      throw x; // an IllegalStateException, but not a malformed tar
    } catch (IllegalArgumentException | IllegalStateException | ArithmeticException x) {
      throw new InvalidArgumentException(
          "layer: malformed tar after entry " + entries + ": " + x.getMessage(), x);
    }
  }

  private static void applyEntry(
      LayerWriter writer, TarArchiveEntry e, InputStream data, TrackedSource source)
      throws IOException {
    String name = EntryNames.quote(e.getName());
    try {
      writer.apply(e, data);
    } catch (HoistException x) {
      throw x;
    } catch (TarReadException x) {
      throw classify((IOException) x.getCause(), source, "in entry " + name);
    } catch (ClosedByInterruptException x) {
      // FileChannel writes are interruptible: an interrupt of the caller cancels the apply.
      Thread.currentThread().interrupt();
      CancellationException c =
          new CancellationException("apply layer interrupted at tar entry " + name);
      c.initCause(x);
      throw c;
    } catch (IOException | RuntimeException x) {
      if (x instanceof CancellationException ce) {
        throw ce;
      }
      throw new UnknownException("apply tar entry " + name + ": " + x, x);
    }
  }

  /**
   * A failure of the caller's stream is passed on; anything else the decoders threw is bad input.
   */
  private static IOException classify(IOException x, TrackedSource source, String where) {
    if (source.failure() != null) {
      return source.failure();
    }
    throw new InvalidArgumentException("layer: malformed data " + where + ": " + x.getMessage(), x);
  }
}
