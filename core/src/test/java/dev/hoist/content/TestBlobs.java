package dev.hoist.content;

import dev.hoist.digest.Digest;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.MediaTypes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Random;

/**
 * Blob helpers for core's own tests. The published fixtures ({@code
 * dev.hoist.testing.content.ContentStoreFixtures}) live in hoist-testing, which depends on core, so
 * core's tests cannot use them; these lean on core's own {@link Blobs} instead.
 */
public final class TestBlobs {

  private TestBlobs() {}

  /** A gzip layer descriptor for {@code data}. */
  public static Descriptor layer(byte[] data) {
    return Descriptor.of(MediaTypes.OCI_LAYER_GZIP, Digest.sha256(data), data.length);
  }

  /** {@code size} bytes that are the same for the same seed. */
  public static byte[] randomBytes(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  /** Writes all of {@code data}, looping while the writer takes part of a buffer. */
  public static void writeAll(ContentWriter w, byte[] data) throws IOException {
    for (ByteBuffer buf = ByteBuffer.wrap(data); buf.hasRemaining(); ) {
      w.write(buf);
    }
  }

  /** Ingests {@code data} under {@code ref} and commits it as a layer. */
  public static Descriptor commit(ContentStore store, String ref, byte[] data) throws IOException {
    Descriptor desc = layer(data);
    try (ContentWriter w = store.writer(ref, desc)) {
      Blobs.copy(w, new ByteArrayInputStream(data), data.length, desc.digest());
    }
    return desc;
  }

  /** The committed blob's bytes; its size must be {@code desc.size()}. */
  public static byte[] readAll(ContentProvider store, Descriptor desc) {
    return Blobs.readAll(store, desc, desc.size());
  }
}
