package dev.hoist.testing.content;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.hoist.content.ContentProvider;
import dev.hoist.content.ContentStore;
import dev.hoist.content.ContentWriter;
import dev.hoist.content.IngestStatus;
import dev.hoist.digest.Digest;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.MediaTypes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Helpers the content contracts use, for stores' own tests too: descriptors for test data, writing
 * and committing through a {@link ContentWriter}, and reading back. Failures are the store's,
 * passed on unchanged.
 */
public final class ContentStoreFixtures {

  private ContentStoreFixtures() {}

  /**
   * An OCI gzip layer descriptor for {@code data}, with its real digest and size.
   *
   * @param data the blob's bytes
   * @return the descriptor
   */
  public static Descriptor layer(byte[] data) {
    return Descriptor.of(MediaTypes.OCI_LAYER_GZIP, Digest.sha256(data), data.length);
  }

  /**
   * Pseudo-random bytes, the same for the same seed.
   *
   * @param size how many bytes
   * @param seed the generator's seed
   * @return the bytes
   */
  public static byte[] randomBytes(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  /**
   * Writes all of {@code data}, however many calls the writer needs.
   *
   * @param w the open writer
   * @param data the bytes to write
   * @throws IOException when the writer fails
   */
  public static void writeAll(ContentWriter w, byte[] data) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(data);
    while (buf.hasRemaining()) {
      w.write(buf);
    }
  }

  /**
   * Writes and commits {@code data} as a layer under ingest {@code ref}, without labels.
   *
   * @param store the store to write to
   * @param ref the ingest ref
   * @param data the blob's bytes
   * @return the committed blob's descriptor
   * @throws IOException when the store fails
   */
  public static Descriptor commit(ContentStore store, String ref, byte[] data) throws IOException {
    return commitLabelled(store, ref, data, Map.of());
  }

  /**
   * Writes and commits {@code text} (UTF-8) as a layer under ingest {@code ref}, with labels.
   *
   * @param store the store to write to
   * @param ref the ingest ref
   * @param text the blob's content
   * @param labels the labels to commit with
   * @return the committed blob's descriptor
   * @throws IOException when the store fails
   */
  public static Descriptor commitLabelled(
      ContentStore store, String ref, String text, Map<String, String> labels) throws IOException {
    return commitLabelled(store, ref, text.getBytes(UTF_8), labels);
  }

  /**
   * Writes and commits {@code data} as a layer under ingest {@code ref}, with labels.
   *
   * @param store the store to write to
   * @param ref the ingest ref
   * @param data the blob's bytes
   * @param labels the labels to commit with
   * @return the committed blob's descriptor
   * @throws IOException when the store fails
   */
  public static Descriptor commitLabelled(
      ContentStore store, String ref, byte[] data, Map<String, String> labels) throws IOException {
    Descriptor desc = layer(data);
    try (ContentWriter w = store.writer(ref, desc)) {
      writeAll(w, data);
      w.commit(data.length, desc.digest(), labels);
    }
    return desc;
  }

  /**
   * Reads committed content back through {@link ContentProvider#open}, as many bytes as the opened
   * channel's size.
   *
   * @param store the store to read from
   * @param desc the blob
   * @return its bytes
   * @throws IOException when the store fails
   */
  public static byte[] readAll(ContentProvider store, Descriptor desc) throws IOException {
    try (SeekableByteChannel ch = store.open(desc)) {
      ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(ch.size()));
      while (buf.hasRemaining() && ch.read(buf) >= 0) {
        // keep reading
      }
      return buf.array();
    }
  }

  /**
   * The refs of the store's ingests, in the order the store lists them.
   *
   * @param store the store
   * @return the refs
   * @throws IOException when the store fails
   */
  public static List<String> refs(ContentStore store) throws IOException {
    List<String> out = new ArrayList<>();
    for (IngestStatus s : store.ingests()) {
      out.add(s.ref());
    }
    return out;
  }
}
