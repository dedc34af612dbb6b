package dev.hoist.testkit.internal;

import dev.hoist.spec.OciJson;
import dev.hoist.testkit.Blob;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A response a route has decided on, before faults shape how it is sent. */
public final class Reply {

  final int status;
  final Map<String, String> headers = new LinkedHashMap<>();
  Blob body;
  long offset;
  long length;

  private Reply(int status) {
    this.status = status;
  }

  public static Reply status(int status) {
    return new Reply(status);
  }

  public static Reply json(int status, Object value) {
    return status(status)
        .header("Content-Type", "application/json")
        .body(new BytesBlob(OciJson.write(value)));
  }

  public static Reply text(int status, String text) {
    return status(status)
        .header("Content-Type", "text/plain; charset=utf-8")
        .body(new BytesBlob(text.getBytes(StandardCharsets.UTF_8)));
  }

  /** A distribution-spec error body: {@code {"errors":[{"code":..., "message":...}]}}. */
  public static Reply error(int status, String code, String message) {
    return json(status, Map.of("errors", List.of(Map.of("code", code, "message", message))));
  }

  public Reply header(String name, String value) {
    headers.put(name, value);
    return this;
  }

  public Reply body(Blob blob) {
    return body(blob, 0, blob.size());
  }

  public Reply body(Blob blob, long offset, long length) {
    this.body = blob;
    this.offset = offset;
    this.length = length;
    return this;
  }

  public int statusCode() {
    return status;
  }
}
