package dev.hoist.testkit.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.hoist.testkit.Fault;
import dev.hoist.testkit.LoggedRequest;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's one HTTP handler: selects faults, checks auth, routes the distribution API, sends
 * the reply and records the request. Routing matches the longest API suffix, so repository names
 * may contain slashes.
 */
public final class RegistryHandler implements HttpHandler {

  private static final Logger LOG = LoggerFactory.getLogger(RegistryHandler.class);

  private static final Pattern TAGS = Pattern.compile("^/v2/(.+)/tags/list$");
  private static final Pattern MANIFEST = Pattern.compile("^/v2/(.+)/manifests/([^/]+)$");
  private static final Pattern UPLOAD_START = Pattern.compile("^/v2/(.+)/blobs/uploads/?$");
  private static final Pattern UPLOAD = Pattern.compile("^/v2/(.+)/blobs/uploads/([^/]+)$");
  private static final Pattern BLOB = Pattern.compile("^/v2/(.+)/blobs/([^/]+)$");
  private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");
  private static final Set<String> REDACTED = Set.of("authorization", "proxy-authorization");

  private final Storage storage;
  private final FaultEngine faults;
  private final TokenService auth;
  private final AuthConfig.Mode mode;
  private final boolean readOnly;
  private final Consumer<LoggedRequest> log;
  private final ReplyWriter writer;
  private final ManifestRoutes manifests;
  private final BlobRoutes blobs;

  public RegistryHandler(
      Storage storage,
      FaultEngine faults,
      TokenService auth,
      AuthConfig.Mode mode,
      boolean readOnly,
      String baseUrl,
      Consumer<LoggedRequest> log) {
    this.storage = storage;
    this.faults = faults;
    this.auth = auth;
    this.mode = mode;
    this.readOnly = readOnly;
    this.log = log;
    this.writer = new ReplyWriter(faults);
    this.manifests = new ManifestRoutes(storage);
    this.blobs = new BlobRoutes(storage, baseUrl, auth);
  }

  @Override
  public void handle(HttpExchange exchange) {
    ReplyWriter.Progress[] holder = new ReplyWriter.Progress[1];
    ReplyWriter.Progress progress =
        new ReplyWriter.Progress(() -> log.accept(entry(exchange, holder[0])));
    holder[0] = progress;
    Call call = null;
    try {
      call =
          new Call(
              exchange,
              faults.select(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath()));
      Reply reply = shortCircuit(call);
      if (reply == null) {
        reply = route(call);
      }
      writer.write(call, reply, progress);
    } catch (ReplyWriter.DroppedConnection e) {
      LOG.debug("{} {}: {}", exchange.getRequestMethod(), exchange.getRequestURI(), e.getMessage());
    } catch (IOException e) {
      LOG.debug(
          "{} {}: client went away: {}",
          exchange.getRequestMethod(),
          exchange.getRequestURI(),
          e.toString());
    } catch (RuntimeException e) {
      LOG.warn("{} {}: internal error", exchange.getRequestMethod(), exchange.getRequestURI(), e);
      if (progress.status == 0 && call != null) {
        try {
          writer.write(call, Reply.error(500, "UNKNOWN", "internal error: " + e), progress);
        } catch (IOException | RuntimeException ignored) {
          // the client is gone; the log entry below records status 0
        }
      }
    } finally {
      // Complete responses were logged just before their last bytes left (a test asserting on the
      // log right after its request returns must find the entry); the rest are logged here.
      progress.complete();
      exchange.close(); // a body sent short of its Content-Length makes this close the connection
    }
  }

  /** Faults that replace the response entirely: an error status or a redirect. */
  private Reply shortCircuit(Call call) {
    for (Fault f : call.faults) {
      if (f.kind() == Fault.Kind.STATUS) {
        boolean bodiless = f.status() < 200 || f.status() == 204 || f.status() == 304;
        Reply r =
            bodiless
                ? Reply.status(f.status())
                : Reply.error(
                    f.status(), codeFor(f.status()), "injected fault: status " + f.status());
        if (f.duration() != null) {
          r.header("Retry-After", Long.toString(f.duration().toSeconds()));
        }
        return r;
      }
      if (f.kind() == Fault.Kind.REDIRECT) {
        String target = f.location().toString();
        if (f.keepsPath()) {
          String base = target.endsWith("/") ? target.substring(0, target.length() - 1) : target;
          target = base + call.path + (call.rawQuery == null ? "" : "?" + call.rawQuery);
        }
        return Reply.status(f.status()).header("Location", URI.create(target).toString());
      }
    }
    return null;
  }

  private Reply route(Call call) throws IOException {
    String path = call.path;
    if (path.equals("/token") && mode == AuthConfig.Mode.BEARER) {
      return auth.serveToken(call);
    }
    if (path.equals("/v2") || path.equals("/v2/")) {
      Reply denied = auth.check(call, null, false);
      if (denied != null) {
        return denied;
      }
      if (!call.method.equals("GET") && !call.isHead()) {
        return unsupported(call);
      }
      return Reply.json(200, Map.of()).header("Docker-Distribution-API-Version", "registry/2.0");
    }
    Matcher m;
    String kind;
    if ((m = TAGS.matcher(path)).matches()) {
      kind = "tags";
    } else if ((m = MANIFEST.matcher(path)).matches()) {
      kind = "manifest";
    } else if ((m = UPLOAD_START.matcher(path)).matches()) {
      kind = "upload-start";
    } else if ((m = UPLOAD.matcher(path)).matches()) {
      kind = "upload";
    } else if ((m = BLOB.matcher(path)).matches()) {
      kind = "blob";
    } else {
      return Reply.text(404, "404 page not found\n");
    }
    String name = m.group(1);
    if (!Names.validName(name)) {
      return Reply.error(400, "NAME_INVALID", "invalid repository name \"" + name + "\"");
    }
    boolean write = WRITES.contains(call.method);
    Reply denied = auth.check(call, name, write);
    if (denied != null) {
      return denied;
    }
    if (write && readOnly) {
      return Reply.error(403, "DENIED", "this registry is read-only");
    }
    switch (kind) {
      case "tags":
        return call.method.equals("GET") ? manifests.tags(call, name) : unsupported(call);
      case "manifest":
        return manifests.serve(call, name, m.group(2));
      case "upload-start":
        return call.method.equals("POST") ? blobs.startUpload(call, name) : unsupported(call);
      case "upload":
        return blobs.upload(call, name, m.group(2));
      default:
        return blobs.blob(call, name, m.group(2));
    }
  }

  static Reply unsupported(Call call) {
    return Reply.error(405, "UNSUPPORTED", call.method + " " + call.path + " is not supported");
  }

  private static String codeFor(int status) {
    switch (status) {
      case 401:
        return "UNAUTHORIZED";
      case 403:
        return "DENIED";
      case 404:
        return "NAME_UNKNOWN";
      case 405:
        return "UNSUPPORTED";
      case 429:
        return "TOOMANYREQUESTS";
      default:
        return status >= 500 ? "UNAVAILABLE" : "UNKNOWN";
    }
  }

  private static LoggedRequest entry(HttpExchange ex, ReplyWriter.Progress progress) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    ex.getRequestHeaders()
        .forEach(
            (k, v) -> {
              if (REDACTED.contains(k.toLowerCase(java.util.Locale.ROOT))) {
                List<String> r = new ArrayList<>();
                v.forEach(x -> r.add(LoggedRequest.REDACTED));
                headers.put(k, List.copyOf(r));
              } else {
                headers.put(k, List.copyOf(v));
              }
            });
    return new LoggedRequest(
        ex.getRequestMethod(),
        ex.getRequestURI().getRawPath(),
        ex.getRequestURI().getRawQuery(),
        headers,
        progress.status,
        progress.bytesSent);
  }
}
