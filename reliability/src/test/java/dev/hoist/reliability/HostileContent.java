package dev.hoist.reliability;

import dev.hoist.digest.Digest;
import dev.hoist.spec.Descriptor;
import dev.hoist.testkit.Blob;
import dev.hoist.testkit.TestImage;
import dev.hoist.testkit.TestRegistry;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Serves arbitrary documents from a testkit registry: {@link TestRegistry#push} stores an image's
 * manifests without validating them, so a hand-made {@link TestImage} carries any bytes, even bytes
 * that do not hash to the digest they are stored under (a lying registry).
 */
final class HostileContent {

  private final List<Descriptor> manifests = new ArrayList<>();
  private final List<Descriptor> layers = new ArrayList<>();
  private final Map<Digest, Blob> blobs = new HashMap<>();

  /** A document stored under its true digest, served as {@code mediaType}. */
  Descriptor manifest(String mediaType, byte[] body) {
    Blob b = Blob.of(body);
    return manifest(mediaType, b.digest(), body);
  }

  Descriptor manifest(String mediaType, String json) {
    return manifest(mediaType, json.getBytes(StandardCharsets.UTF_8));
  }

  /** A document stored under {@code claimed}, whatever its bytes hash to. */
  Descriptor manifest(String mediaType, Digest claimed, byte[] body) {
    blobs.put(claimed, lying(claimed, body));
    Descriptor d = Descriptor.of(mediaType, claimed, body.length);
    manifests.add(d);
    return d;
  }

  /** A blob stored under its true digest. */
  Descriptor blob(String mediaType, byte[] body) {
    Blob b = Blob.of(body);
    blobs.put(b.digest(), b);
    Descriptor d = Descriptor.of(mediaType, b.digest(), body.length);
    layers.add(d);
    return d;
  }

  /** Pushes everything and tags {@code root} as {@code repoAndTag}. */
  void push(TestRegistry registry, String repoAndTag, Descriptor root) {
    List<Descriptor> others = new ArrayList<>(manifests);
    others.remove(root);
    registry.push(repoAndTag, new TestImage(root, null, others, List.of(), layers, blobs));
  }

  static Blob lying(Digest claimed, byte[] body) {
    return new Blob() {
      @Override
      public Digest digest() {
        return claimed;
      }

      @Override
      public long size() {
        return body.length;
      }

      @Override
      public InputStream open(long offset) {
        return new ByteArrayInputStream(body, (int) offset, body.length - (int) offset);
      }
    };
  }

  static String descriptorJson(String mediaType, String digest, long size) {
    return "{\"mediaType\":\""
        + mediaType
        + "\",\"digest\":\""
        + digest
        + "\",\"size\":"
        + size
        + "}";
  }

  static String indexJson(List<String> entries) {
    return "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":["
        + String.join(",", entries)
        + "]}";
  }

  static String manifestJson(String config, List<String> layers) {
    return "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":"
        + config
        + ",\"layers\":["
        + String.join(",", layers)
        + "]}";
  }
}
