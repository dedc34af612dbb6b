package dev.hoist.content.local;

import static dev.hoist.testing.content.ContentStoreFixtures.readAll;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hoist.content.ContentWriter;
import dev.hoist.digest.Digest;
import dev.hoist.digest.Digester;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.MediaTypes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Blobs addressed by sha512 are hashed, stored and walked under {@code blobs/sha512}. */
class Sha512ContentTest {

  @Test
  void sha512BlobIsVerifiedStoredAndWalked(@TempDir Path root) throws IOException {
    LocalContentStore store = LocalContentStore.open(root);
    byte[] data = ChildProcesses.content(100_000, 31);
    Digester d = Digester.of(Digest.SHA512);
    d.update(data, 0, data.length);
    Descriptor desc = Descriptor.of(MediaTypes.OCI_LAYER_GZIP, d.digest(), data.length);

    try (ContentWriter w = store.writer("sha512", desc)) {
      w.write(ByteBuffer.wrap(data, 0, 40_000));
    }
    try (ContentWriter w = store.writer("sha512", desc)) { // resume rehashes with sha512
      w.write(ByteBuffer.wrap(data, 40_000, data.length - 40_000));
      assertThat(w.digest()).isEqualTo(desc.digest());
      w.commit(data.length, desc.digest(), Map.of());
    }

    assertThat(Files.exists(root.resolve("blobs/sha512/" + desc.digest().encoded()))).isTrue();
    assertThat(readAll(store, desc)).isEqualTo(data);
    List<Digest> walked = new ArrayList<>();
    store.walk(i -> true, i -> walked.add(i.digest()));
    assertThat(walked).containsExactly(desc.digest());
  }
}
