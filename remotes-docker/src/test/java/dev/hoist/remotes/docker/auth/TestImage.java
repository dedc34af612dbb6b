package dev.hoist.remotes.docker.auth;

import dev.hoist.digest.Digest;
import dev.hoist.remotes.docker.testing.RegistryPusher;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.MediaTypes;
import java.nio.charset.StandardCharsets;

/** A one-layer image pushed into a test registry. */
record TestImage(Descriptor manifest, Descriptor config, Descriptor layer, byte[] layerBytes) {

  static TestImage push(RegistryPusher pusher, String repo, String tag) {
    byte[] config =
        "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}"
            .getBytes(StandardCharsets.UTF_8);
    byte[] layer = ("layer of " + repo).getBytes(StandardCharsets.UTF_8);
    Digest c = pusher.pushBlob(repo, config);
    Digest l = pusher.pushBlob(repo, layer);
    byte[] manifest =
        ("{\"schemaVersion\":2,\"mediaType\":\""
                + MediaTypes.OCI_MANIFEST
                + "\","
                + "\"config\":{\"mediaType\":\""
                + MediaTypes.OCI_CONFIG
                + "\",\"digest\":\""
                + c
                + "\",\"size\":"
                + config.length
                + "},"
                + "\"layers\":[{\"mediaType\":\""
                + MediaTypes.OCI_LAYER_GZIP
                + "\",\"digest\":\""
                + l
                + "\",\"size\":"
                + layer.length
                + "}]}")
            .getBytes(StandardCharsets.UTF_8);
    Digest m = pusher.pushManifest(repo, tag, MediaTypes.OCI_MANIFEST, manifest);
    return new TestImage(
        Descriptor.of(MediaTypes.OCI_MANIFEST, m, manifest.length),
        Descriptor.of(MediaTypes.OCI_CONFIG, c, config.length),
        Descriptor.of(MediaTypes.OCI_LAYER_GZIP, l, layer.length),
        layer);
  }
}
