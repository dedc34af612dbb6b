package dev.hoist.remotes.docker.internal;

import dev.hoist.digest.Digest;
import dev.hoist.digest.Digester;
import dev.hoist.errors.FailedPreconditionException;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.errors.UnavailableException;
import dev.hoist.reference.Reference;
import dev.hoist.remotes.docker.RegistryHost;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.MediaTypes;
import dev.hoist.spec.internal.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Resolves a reference on one host, as containerd's {@code resolver.Resolve} does per host: {@code
 * HEAD} with the manifest {@code Accept} list, the descriptor from {@code Content-Type}, {@code
 * Content-Length} and {@code Docker-Content-Digest}; when the host refuses {@code HEAD} (405), or a
 * header is missing or malformed, a {@code GET} whose body is hashed, bounded by the manifest size
 * limit.
 */
public final class ManifestResolution {

  /** The manifest types Hoist understands, then anything (as containerd's resolver). */
  public static final String ACCEPT =
      String.join(
          ", ",
          MediaTypes.DOCKER_MANIFEST,
          MediaTypes.DOCKER_MANIFEST_LIST,
          MediaTypes.OCI_MANIFEST,
          MediaTypes.OCI_INDEX,
          "*/*");

  private final Requester requester;

  public ManifestResolution(Requester requester) {
    this.requester = requester;
  }

  /** The pull scope of {@code ref}'s repository, as token servers expect it. */
  public static List<String> pullScope(Reference ref) {
    return List.of("repository:" + ref.repository() + ":pull");
  }

  /**
   * Resolves {@code ref} at {@code host} under {@code kind} ({@code manifests} or {@code blobs}).
   *
   * @throws dev.hoist.errors.NotFoundException when the host answers 404
   */
  public Descriptor resolveAt(RegistryHost host, boolean lastHost, Reference ref, String kind)
      throws IOException {
    Digest wanted = ref.digest();
    String object = wanted != null ? wanted.toString() : ref.tag();
    URI uri = Urls.registry(host, ref.hostname(), ref.repository(), kind, object);
    String what = (kind.equals("blobs") ? "blob " : "manifest ") + ref;
    Map<String, String> headers = Map.of("Accept", ACCEPT);
    List<String> scopes = pullScope(ref);
    boolean limited = kind.equals("manifests");

    try (Reply head =
        requester.send(new Requester.Call(host, "HEAD", uri, headers, scopes, lastHost))) {
      if (head.ok()) {
        Descriptor d = fromHeaders(head, wanted, what, limited);
        if (d != null) {
          return d;
        }
      } else if (head.status() != 405 && !(head.status() >= 300 && head.status() < 400)) {
        throw RegistryErrors.toException(what, head);
      }
    }
    // HEAD refused (405), redirected, or without a usable digest/size: GET and hash the body.
    try (Reply get =
        requester.send(new Requester.Call(host, "GET", uri, headers, scopes, lastHost))) {
      if (!get.ok()) {
        throw RegistryErrors.toException(what, get);
      }
      return fromBody(
          get, wanted, what, limited ? requester.settings().maxManifestBytes() : Long.MAX_VALUE);
    }
  }

  /** The descriptor the headers describe, or null when a GET is needed. */
  private Descriptor fromHeaders(Reply reply, Digest wanted, String what, boolean limited) {
    String type = mediaType(reply);
    OptionalLong length = contentLength(reply);
    Digest digest = headerDigest(reply, what);
    if (digest != null && wanted != null && !digest.equals(wanted)) {
      throw mismatch(what, reply, wanted, digest, "Docker-Content-Digest");
    }
    if (digest == null) {
      digest = wanted; // a digest reference names its own digest, as containerd does
    }
    if (type == null || length.isEmpty() || digest == null) {
      return null;
    }
    if (limited && length.getAsLong() > requester.settings().maxManifestBytes()) {
      throw tooLarge(what, reply, length.getAsLong());
    }
    return Descriptor.of(type, digest, length.getAsLong());
  }

  private Descriptor fromBody(Reply reply, Digest wanted, String what, long max)
      throws IOException {
    OptionalLong length = contentLength(reply);
    if (length.isPresent() && length.getAsLong() > max) {
      throw tooLarge(what, reply, length.getAsLong());
    }
    Digest header = headerDigest(reply, what);
    String algorithm =
        wanted != null ? wanted.algorithm() : header != null ? header.algorithm() : Digest.SHA256;
    Digester digester = Digester.of(algorithm);
    byte[] head = new byte[0];
    long total = 0;
    byte[] buf = new byte[64 * 1024];
    try (InputStream in = reply.body()) {
      int n;
      while ((n = in.read(buf)) > 0) {
        if (total == 0) {
          head = java.util.Arrays.copyOf(buf, Math.min(n, 4096)); // enough to find "mediaType"
        }
        total += n;
        if (total > max) {
          throw tooLarge(what, reply, total);
        }
        digester.update(buf, 0, n);
      }
    } catch (IOException e) {
      throw new UnavailableException(
          what + ": reading " + RegistryErrors.redact(reply.uri()) + " failed: " + e, e);
    }
    if (length.isPresent() && length.getAsLong() != total) {
      throw new UnavailableException(
          what
              + ": "
              + RegistryErrors.redact(reply.uri())
              + " sent "
              + total
              + " bytes, Content-Length said "
              + length.getAsLong());
    }
    Digest actual = digester.digest();
    if (header != null && header.algorithm().equals(algorithm) && !header.equals(actual)) {
      throw mismatch(what, reply, header, actual, "body");
    }
    if (wanted != null && !wanted.equals(actual)) {
      throw mismatch(what, reply, wanted, actual, "body");
    }
    String type = mediaType(reply);
    if (type == null || type.equals("application/octet-stream")) {
      type = sniffMediaType(head);
    }
    if (type == null) {
      throw new InvalidArgumentException(
          what
              + ": "
              + RegistryErrors.redact(reply.uri())
              + " sent no Content-Type and the body has no mediaType");
    }
    return Descriptor.of(type, actual, total);
  }

  private static String sniffMediaType(byte[] head) {
    try {
      Object n = Json.parseLenient(head);
      Object type = n instanceof Map ? ((Map<?, ?>) n).get("mediaType") : null;
      return type instanceof String ? (String) type : null;
    } catch (IOException e) {
      return null; // truncated at 4 KiB or not JSON: no media type to be found
    }
  }

  private static String mediaType(Reply reply) {
    String ct = reply.header("Content-Type").orElse(null);
    if (ct == null) {
      return null;
    }
    int semi = ct.indexOf(';');
    String type = (semi >= 0 ? ct.substring(0, semi) : ct).trim();
    if (type.isEmpty()) {
      return null;
    }
    // Some registries (Red Hat's, per containerd) serve schema 1 as text/plain.
    return type.equals("text/plain") ? MediaTypes.DOCKER_SCHEMA1_MANIFEST : type;
  }

  private static OptionalLong contentLength(Reply reply) {
    String v = reply.header("Content-Length").orElse(null);
    if (v == null) {
      return OptionalLong.empty();
    }
    try {
      long n = Long.parseLong(v.trim());
      return n < 0 ? OptionalLong.empty() : OptionalLong.of(n);
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  private static Digest headerDigest(Reply reply, String what) {
    String v = reply.header("Docker-Content-Digest").orElse(null);
    if (v == null || v.isBlank()) {
      return null;
    }
    try {
      return Digest.parse(v.trim());
    } catch (InvalidArgumentException e) {
      throw new InvalidArgumentException(
          what
              + ": "
              + RegistryErrors.redact(reply.uri())
              + " sent a malformed Docker-Content-Digest: "
              + e.getMessage(),
          e);
    }
  }

  private InvalidArgumentException tooLarge(String what, Reply reply, long size) {
    return new InvalidArgumentException(
        what
            + ": "
            + RegistryErrors.redact(reply.uri())
            + " is larger than the manifest limit of "
            + requester.settings().maxManifestBytes()
            + " bytes ("
            + size
            + " bytes seen)");
  }

  private static FailedPreconditionException mismatch(
      String what, Reply reply, Digest expected, Digest actual, String source) {
    return new FailedPreconditionException(
        what
            + ": "
            + RegistryErrors.redact(reply.uri())
            + " "
            + source
            + " has digest "
            + actual
            + ", expected "
            + expected,
        new dev.hoist.errors.DigestMismatchException(expected, actual));
  }
}
