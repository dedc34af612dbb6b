package dev.hoist.content;

import static java.nio.charset.StandardCharsets.UTF_8;

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

/** Test fixtures shared by the content contracts and by stores' own tests. */
public final class ContentStoreFixtures {

  private ContentStoreFixtures() {}

  /** A layer descriptor for {@code data}. */
  public static Descriptor layer(byte[] data) {
    return Descriptor.of(MediaTypes.OCI_LAYER_GZIP, Digest.sha256(data), data.length);
  }

  /** Deterministic pseudo-random bytes. */
  public static byte[] randomBytes(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  /** Writes {@code data} fully, however the writer splits it. */
  public static void writeAll(ContentWriter w, byte[] data) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(data);
    while (buf.hasRemaining()) {
      w.write(buf);
    }
  }

  /** Writes and commits {@code data} under {@code ref}, returning its descriptor. */
  public static Descriptor commit(ContentStore store, String ref, byte[] data) throws IOException {
    return commitLabelled(store, ref, data, Map.of());
  }

  public static Descriptor commitLabelled(
      ContentStore store, String ref, String text, Map<String, String> labels) throws IOException {
    return commitLabelled(store, ref, text.getBytes(UTF_8), labels);
  }

  public static Descriptor commitLabelled(
      ContentStore store, String ref, byte[] data, Map<String, String> labels) throws IOException {
    Descriptor desc = layer(data);
    try (ContentWriter w = store.writer(ref, desc)) {
      writeAll(w, data);
      w.commit(data.length, desc.digest(), labels);
    }
    return desc;
  }

  /** Reads committed content back through {@link ContentProvider#open}. */
  public static byte[] readAll(ContentProvider store, Descriptor desc) throws IOException {
    try (SeekableByteChannel ch = store.open(desc)) {
      ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(ch.size()));
      while (buf.hasRemaining() && ch.read(buf) >= 0) {
        // keep reading
      }
      return buf.array();
    }
  }

  /** The refs of the store's ingests. */
  public static List<String> refs(ContentStore store) throws IOException {
    List<String> out = new ArrayList<>();
    for (IngestStatus s : store.ingests()) {
      out.add(s.ref());
    }
    return out;
  }
}
