package dev.hoist.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hoist.content.ContentInfo;
import dev.hoist.content.local.LocalContentStore;
import dev.hoist.digest.Digest;
import dev.hoist.spec.Descriptor;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * Whole-store checks: every committed blob re-hashes to its name (what {@code hoist content verify}
 * does).
 */
final class StoreChecks {

  private StoreChecks() {}

  /** The digests of committed blobs whose bytes do not hash to their name or size. */
  static List<Digest> corruptBlobs(LocalContentStore store) throws IOException {
    List<ContentInfo> infos = new ArrayList<>();
    store.walk(i -> true, infos::add);
    List<Digest> bad = new ArrayList<>();
    for (ContentInfo i : infos) {
      if (!Fetches.verifies(
          store, Descriptor.of("application/octet-stream", i.digest(), i.size()))) {
        bad.add(i.digest());
      }
    }
    return bad;
  }

  /** How many {@code index.json} manifests carry {@code name} as their image name. */
  static long indexEntries(LocalContentStore store, String name) throws IOException {
    JsonNode index =
        new ObjectMapper().readTree(Files.readString(store.root().resolve("index.json")));
    long n = 0;
    for (JsonNode m : index.path("manifests")) {
      if (name.equals(m.path("annotations").path("io.containerd.image.name").asText(null))) {
        n++;
      }
    }
    return n;
  }
}
