package dev.hoist.testkit.internal;

import dev.hoist.digest.Digest;
import dev.hoist.errors.HoistException;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.Manifest;
import dev.hoist.spec.MediaTypes;
import dev.hoist.spec.OciJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** {@code /v2/<name>/manifests/<reference>} and {@code /v2/<name>/tags/list}. */
final class ManifestRoutes {

  /** containerd's manifest size limit; larger pushes are refused. */
  private static final int MAX_MANIFEST = (int) OciJson.DEFAULT_MAX_MANIFEST_BYTES;

  private final Storage storage;

  ManifestRoutes(Storage storage) {
    this.storage = storage;
  }

  Reply serve(Call call, String name, String reference) throws IOException {
    boolean isDigest = reference.contains(":");
    if (isDigest && !Digest.isValid(reference)) {
      return Reply.error(400, "DIGEST_INVALID", "invalid digest \"" + reference + "\"");
    }
    if (!isDigest && !Names.validTag(reference)) {
      return Reply.error(400, "TAG_INVALID", "invalid tag \"" + reference + "\"");
    }
    switch (call.method) {
      case "GET":
      case "HEAD":
        return get(name, reference);
      case "PUT":
        return put(call, name, reference, isDigest);
      default:
        return RegistryHandler.unsupported(call);
    }
  }

  private Reply get(String name, String reference) {
    if (storage.repo(name) == null) {
      return Reply.error(404, "NAME_UNKNOWN", "repository \"" + name + "\" not known to registry");
    }
    Storage.StoredManifest m = storage.manifest(name, reference);
    if (m == null) {
      return Reply.error(404, "MANIFEST_UNKNOWN", "manifest unknown: " + name + ":" + reference);
    }
    return Reply.status(200)
        .header("Content-Type", m.mediaType)
        .header("Docker-Content-Digest", m.blob.digest().toString())
        .body(m.blob);
  }

  private Reply put(Call call, String name, String reference, boolean isDigest) throws IOException {
    byte[] body = call.body().readNBytes(MAX_MANIFEST + 1);
    if (body.length > MAX_MANIFEST) {
      return Reply.error(
          400, "MANIFEST_INVALID", "manifest larger than " + MAX_MANIFEST + " bytes");
    }
    BytesBlob blob = new BytesBlob(body);
    if (isDigest && !blob.digest().equals(Digest.parse(reference))) {
      return Reply.error(
          400,
          "DIGEST_INVALID",
          "manifest digest " + blob.digest() + " does not match " + reference);
    }
    String mediaType = mediaType(call.header("Content-Type"));
    List<Digest> children = new ArrayList<>();
    try {
      String declared = OciJson.mediaTypeOf(body, "manifest " + name + ":" + reference);
      if (mediaType == null) {
        mediaType = declared;
      }
      if (mediaType == null) {
        return Reply.error(400, "MANIFEST_INVALID", "no Content-Type and no mediaType field");
      }
      if (MediaTypes.isManifest(mediaType)) {
        Manifest m = OciJson.readManifest(body, "manifest " + name + ":" + reference);
        if (m.config() == null) {
          return Reply.error(400, "MANIFEST_INVALID", "manifest has no config");
        }
        children.add(m.config().digest());
        m.layers().stream()
            .filter(l -> !MediaTypes.isNonDistributable(l.mediaType()))
            .forEach(l -> children.add(l.digest()));
      } else if (MediaTypes.isIndex(mediaType)) {
        for (Descriptor d :
            OciJson.readIndex(body, "index " + name + ":" + reference).manifests()) {
          children.add(d.digest());
        }
      }
    } catch (HoistException e) {
      return Reply.error(400, "MANIFEST_INVALID", e.getMessage());
    }
    for (Digest child : children) {
      if (storage.blob(name, child) == null) {
        return Reply.error(400, "MANIFEST_BLOB_UNKNOWN", "blob unknown to registry: " + child);
      }
    }
    storage.putManifest(name, isDigest ? null : reference, mediaType, blob);
    return Reply.status(201)
        .header("Location", "/v2/" + name + "/manifests/" + blob.digest())
        .header("Docker-Content-Digest", blob.digest().toString());
  }

  Reply tags(Call call, String name) {
    Storage.Repo repo = storage.repo(name);
    if (repo == null) {
      return Reply.error(404, "NAME_UNKNOWN", "repository \"" + name + "\" not known to registry");
    }
    TreeSet<String> all = new TreeSet<>(repo.tags().keySet());
    String last = call.param("last");
    List<String> tags = new ArrayList<>(last == null ? all : all.tailSet(last, false));
    Reply r = Reply.status(200);
    String n = call.param("n");
    if (n != null) {
      int limit;
      try {
        limit = Integer.parseInt(n);
      } catch (NumberFormatException e) {
        return Reply.error(400, "PAGINATION_NUMBER_INVALID", "invalid n \"" + n + "\"");
      }
      if (limit < 0) {
        return Reply.error(400, "PAGINATION_NUMBER_INVALID", "invalid n \"" + n + "\"");
      }
      if (tags.size() > limit) {
        tags = new ArrayList<>(tags.subList(0, limit));
        if (!tags.isEmpty()) {
          r.header(
              "Link",
              "</v2/"
                  + name
                  + "/tags/list?n="
                  + limit
                  + "&last="
                  + tags.get(tags.size() - 1)
                  + ">; rel=\"next\"");
        }
      }
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("tags", tags);
    Reply json = Reply.json(200, body);
    r.headers.forEach(json::header);
    return json;
  }

  private static String mediaType(String contentType) {
    if (contentType == null) {
      return null;
    }
    int semi = contentType.indexOf(';');
    String t = (semi < 0 ? contentType : contentType.substring(0, semi)).trim();
    return t.isEmpty() || t.equals("application/octet-stream") ? null : t;
  }
}
