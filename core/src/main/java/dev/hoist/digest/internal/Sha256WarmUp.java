package dev.hoist.digest.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Gets the JIT to compile SHA-256's block functions before the first layer arrives, in a JVM that
 * runs with default options (an application embedding Hoist).
 *
 * <p>Why: HotSpot hashes at full speed only once C2 has compiled {@code
 * sun.security.provider.SHA2.implCompress0} and {@code DigestBase.implCompressMultiBlock0}, which
 * it replaces with the CPU's SHA instructions; the interpreter and C1 have no such intrinsic and
 * run several times slower. C2 compiles a method after enough calls, and a first fetch gives it
 * few: a layer is fed in 1 MiB slices, so {@code implCompressMultiBlock0} is called only 1024 times
 * per GiB while the compile queue fills with everything else a cold fetch runs. Measured on a cold
 * {@code big} fetch (8 × 128 MiB) on a loaded machine, C2 compiled it 5–7 s into the run, and the
 * fetch took a third more CPU than with it compiled early (bench/RESULTS.md, session 5).
 *
 * <p>So the first {@code Client} or sha256 {@code Digester} of a JVM starts one daemon thread that
 * hashes {@value #BLOCKS} single 64-byte blocks, one {@code update} each (1 MiB): every call passes
 * through both functions once, which crosses C2's call thresholds (5000 calls after C1's 200)
 * early, when the queue is still short. The result is discarded; nothing waits for the thread, and
 * a failure only means hashing stays on the slow path until C2 gets there by itself.
 *
 * <p>The system property {@value #BLOCKS_PROPERTY} sets another count (0: no warm-up). The {@code
 * hoist} launcher sets 1024: its JVM options already scale C2's thresholds for these two methods
 * down to a hundredth, so a few calls suffice, and the full count would cost a short fetch tens of
 * milliseconds of CPU, deoptimizations included (bench/RESULTS.md, session 10).
 */
public final class Sha256WarmUp {

  /** Single-block updates: over C2's 5000-call threshold with room for its load scaling. */
  static final int BLOCKS = 16384;

  /** The system property that sets the count of blocks instead. */
  static final String BLOCKS_PROPERTY = "hoist.sha256WarmUpBlocks";

  private static final AtomicBoolean STARTED = new AtomicBoolean();

  private Sha256WarmUp() {}

  /** Starts the warm-up thread the first time it is called in this JVM; later calls do nothing. */
  public static void startOnce() {
    if (STARTED.get() || !STARTED.compareAndSet(false, true)) {
      return;
    }
    int blocks = blocks(System.getProperty(BLOCKS_PROPERTY));
    if (blocks == 0) {
      return; // asked for no warm-up: no thread either
    }
    try {
      Thread t = new Thread(() -> run(blocks), "hoist-sha256-warmup");
      t.setDaemon(true);
      t.start();
    } catch (RuntimeException | OutOfMemoryError e) {
      // No thread to be had (a thread limit, a security policy): the warm-up is only a speed-up,
      // and building a client must not fail for it.
    }
  }

  /** Whether this JVM's warm-up has been started. */
  static boolean started() {
    return STARTED.get();
  }

  /**
   * The count of blocks for a value of {@value #BLOCKS_PROPERTY}: {@link #BLOCKS} unless it is a
   * whole number from 0 up.
   */
  static int blocks(String property) {
    if (property != null) {
      try {
        int n = Integer.parseInt(property.trim());
        if (n >= 0) {
          return n;
        }
      } catch (NumberFormatException e) {
        // fall through: the default
      }
    }
    return BLOCKS;
  }

  /**
   * Hashes {@code blocks} blocks one call each; returns the digest so the work is not dead code.
   */
  static byte[] run(int blocks) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] block = new byte[64];
      for (int i = 0; i < blocks; i++) {
        block[0] = (byte) i;
        md.update(block, 0, block.length);
      }
      return md.digest();
    } catch (NoSuchAlgorithmException | RuntimeException e) {
      return new byte[0]; // see the class comment: only slower, never wrong
    }
  }
}
