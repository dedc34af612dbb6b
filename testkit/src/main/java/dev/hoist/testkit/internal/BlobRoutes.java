package dev.hoist.testkit.internal;

import dev.hoist.digest.Digest;
import dev.hoist.testkit.Blob;
import dev.hoist.testkit.Fault;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code /v2/<name>/blobs/<digest>} and the upload endpoints under {@code
 * /v2/<name>/blobs/uploads/}.
 */
final class BlobRoutes {

  private static final Pattern CONTENT_RANGE =
      Pattern.compile("^(?:bytes[ =])?(\\d+)-(\\d+)(?:/\\d+|/\\*)?$");

  private final Storage storage;
  private final String baseUrl;
  private final TokenService auth;

  BlobRoutes(Storage storage, String baseUrl, TokenService auth) {
    this.storage = storage;
    this.baseUrl = baseUrl;
    this.auth = auth;
  }

  Reply blob(Call call, String name, String digestText) {
    if (!call.method.equals("GET") && !call.isHead()) {
      return RegistryHandler.unsupported(call);
    }
    if (!Digest.isValid(digestText)) {
      return Reply.error(400, "DIGEST_INVALID", "invalid digest \"" + digestText + "\"");
    }
    Blob blob = storage.blob(name, Digest.parse(digestText));
    if (blob == null) {
      return Reply.error(404, "BLOB_UNKNOWN", "blob unknown to registry: " + digestText);
    }
    Reply r =
        Reply.status(200)
            .header("Content-Type", "application/octet-stream")
            .header("Docker-Content-Digest", blob.digest().toString())
            .header("Accept-Ranges", "bytes");
    RangeHeader.Span span =
        call.has(Fault.Kind.IGNORE_RANGE)
            ? null
            : RangeHeader.parse(call.header("Range"), blob.size());
    if (span == null) {
      return r.body(blob);
    }
    if (span.unsatisfiable) {
      return Reply.error(
              416,
              "RANGE_INVALID",
              "range \"" + call.header("Range") + "\" not satisfiable in " + blob.size() + " bytes")
          .header("Content-Range", "bytes */" + blob.size());
    }
    Reply partial = Reply.status(206);
    r.headers.forEach(partial::header);
    return partial
        .header("Content-Range", "bytes " + span.first + "-" + span.last + "/" + blob.size())
        .body(blob, span.first, span.length());
  }

  Reply startUpload(Call call, String name) throws IOException {
    String mount = call.param("mount");
    if (mount != null) {
      if (!Digest.isValid(mount)) {
        return Reply.error(400, "DIGEST_INVALID", "invalid digest \"" + mount + "\"");
      }
      String from = call.param("from");
      // Mounting reads the source repository, so the caller needs pull access there too.
      if (from != null
          && Names.validName(from)
          && auth.check(call, from, false) == null
          && storage.mount(name, from, Digest.parse(mount))) {
        return created(name, Digest.parse(mount));
      }
      // Not mountable: the spec says to fall back to an ordinary upload session.
    }
    String digest = call.param("digest");
    Upload u = storage.startUpload(name);
    if (digest != null) {
      u.append(call.body());
      return finish(name, u, digest);
    }
    return session(u, 202);
  }

  Reply upload(Call call, String name, String id) throws IOException {
    Upload u = storage.upload(name, id);
    if (u == null) {
      return Reply.error(404, "BLOB_UPLOAD_UNKNOWN", "blob upload unknown to registry: " + id);
    }
    switch (call.method) {
      case "GET":
        return session(u, 204);
      case "PATCH":
        String range = call.header("Content-Range");
        if (range != null) {
          Matcher m = CONTENT_RANGE.matcher(range.trim());
          if (!m.matches() || Long.parseLong(m.group(1)) != u.size()) {
            return Reply.error(
                    416,
                    "RANGE_INVALID",
                    "chunk range \"" + range + "\" does not start at " + u.size())
                .header("Location", location(u))
                .header("Range", rangeOf(u))
                .header("Docker-Upload-UUID", u.id());
          }
        }
        u.append(call.body());
        return session(u, 202);
      case "PUT":
        u.append(call.body());
        return finish(name, u, call.param("digest"));
      case "DELETE":
        storage.cancelUpload(u);
        return Reply.status(204);
      default:
        return RegistryHandler.unsupported(call);
    }
  }

  private Reply finish(String name, Upload u, String digest) throws IOException {
    if (digest == null || !Digest.isValid(digest)) {
      storage.cancelUpload(u);
      return Reply.error(400, "DIGEST_INVALID", "missing or invalid digest \"" + digest + "\"");
    }
    Digest expected = Digest.parse(digest);
    if (storage.finishUpload(u, expected) == null) {
      return Reply.error(
          400, "DIGEST_INVALID", "uploaded content does not match digest " + expected);
    }
    return created(name, expected);
  }

  private Reply created(String name, Digest d) {
    return Reply.status(201)
        .header("Location", baseUrl + "/v2/" + name + "/blobs/" + d)
        .header("Docker-Content-Digest", d.toString());
  }

  private Reply session(Upload u, int status) {
    return Reply.status(status)
        .header("Location", location(u))
        .header("Range", rangeOf(u))
        .header("Docker-Upload-UUID", u.id());
  }

  private String location(Upload u) {
    return baseUrl + "/v2/" + u.repo() + "/blobs/uploads/" + u.id();
  }

  /** distribution's inclusive {@code 0-<last>}, and {@code 0-0} when empty. */
  private static String rangeOf(Upload u) {
    return "0-" + Math.max(0, u.size() - 1);
  }
}
