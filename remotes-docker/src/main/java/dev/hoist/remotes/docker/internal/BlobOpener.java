package dev.hoist.remotes.docker.internal;

import dev.hoist.errors.HoistException;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.errors.NotFoundException;
import dev.hoist.reference.Reference;
import dev.hoist.remotes.docker.Authorizer;
import dev.hoist.remotes.docker.HostCapability;
import dev.hoist.remotes.docker.RegistryHost;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.MediaTypes;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the content of a descriptor from a repository: foreign {@code urls} first when enabled,
 * then each host with the {@code pull} capability in order ({@code manifests/<digest>} for
 * manifests and indexes, {@code blobs/<digest>} for everything else). A 404 moves on to the next
 * host; the first other error is reported when no host has the content.
 */
public final class BlobOpener {

  private static final Logger log = LoggerFactory.getLogger(BlobOpener.class);

  private final Requester requester;
  private final List<RegistryHost> hosts;
  private final Reference ref;

  /** {@code hosts} are filtered to those with {@link HostCapability#PULL}. */
  public BlobOpener(Requester requester, List<RegistryHost> hosts, Reference ref) {
    this.requester = requester;
    this.ref = ref;
    List<RegistryHost> pull = new ArrayList<>();
    for (RegistryHost h : hosts) {
      if (h.has(HostCapability.PULL)) {
        pull.add(h);
      }
    }
    this.hosts = List.copyOf(pull);
  }

  /** The hosts asked for content, in order. */
  public List<RegistryHost> hosts() {
    return hosts;
  }

  /** Opens {@code desc} from byte {@code offset}; the stream resumes after connection resets. */
  public InputStream open(Descriptor desc, long offset) throws IOException {
    if (offset < 0 || offset > desc.size()) {
      throw new InvalidArgumentException(
          "fetch " + desc.digest() + ": offset " + offset + " outside 0.." + desc.size());
    }
    if (offset == desc.size() && offset > 0) {
      return InputStream.nullInputStream();
    }
    String what = what(desc);
    // The index of the host whose body is being read (-1: a foreign URL).
    int[] serving = new int[1];
    InputStream first = openOnce(desc, offset, 0, serving);
    // A body that broke is resumed from the next host when there is one: a mirror that fails in
    // the middle of a pull hands over instead of being asked again (and failing the fetch).
    return new ResumingInputStream(
        first, offset, desc.size(),
        o -> openOnce(desc, o, Math.max(0, Math.min(serving[0] + 1, hosts.size() - 1)), serving), what);
  }

  private String what(Descriptor desc) {
    return (MediaTypes.isManifestOrIndex(desc.mediaType()) ? "manifest " : "blob ")
        + ref.locator() + "@" + desc.digest();
  }

  private InputStream openOnce(Descriptor desc, long offset, int firstHost, int[] serving) throws IOException {
    String what = what(desc);
    HoistException firstError = null;
    if (requester.settings().followForeignUrls()) {
      for (String url : desc.urls()) {
        try {
          InputStream in = openForeign(desc, url, offset, what);
          serving[0] = -1;
          return in;
        } catch (HoistException e) {
          log.debug("{}: foreign URL failed, trying the registry: {}", what, e.getMessage());
          if (firstError == null && !(e instanceof NotFoundException)) {
            firstError = e;
          }
        }
      }
    }
    if (hosts.isEmpty()) {
      throw new NotFoundException(what + ": no registry host with the pull capability for " + ref.hostname());
    }
    boolean manifest = MediaTypes.isManifestOrIndex(desc.mediaType());
    String kind = manifest ? "manifests" : "blobs";
    Map<String, String> headers = new HashMap<>();
    headers.put("Accept", manifest ? desc.mediaType() + ", " + ManifestResolution.ACCEPT : "*/*");
    if (offset > 0) {
      headers.put("Range", "bytes=" + offset + "-");
    }
    for (int i = firstHost; i < hosts.size(); i++) {
      RegistryHost host = hosts.get(i);
      URI uri = Urls.registry(host, ref.hostname(), ref.repository(), kind, desc.digest().toString());
      try {
        Reply reply =
            requester.send(
                new Requester.Call(
                    host, "GET", uri, headers, ManifestResolution.pullScope(ref), i == hosts.size() - 1));
        if (!reply.ok()) {
          throw RegistryErrors.toException(what, reply);
        }
        InputStream in = RangeReply.positioned(reply, offset, what);
        serving[0] = i;
        return in;
      } catch (NotFoundException e) {
        log.debug("{}: not found on {}", what, host);
      } catch (HoistException e) {
        log.debug("{}: {} failed: {}", what, host, e.getMessage());
        if (firstError == null) {
          firstError = e;
        }
      }
    }
    if (firstError != null) {
      throw firstError;
    }
    throw new NotFoundException(what + ": not found on " + hostNames());
  }

  private InputStream openForeign(Descriptor desc, String url, long offset, String what) throws IOException {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new InvalidArgumentException(what + ": malformed foreign URL", e);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
      throw new InvalidArgumentException(what + ": foreign URL is not http(s): " + RegistryErrors.redact(uri));
    }
    if (hosts.isEmpty()) {
      throw new NotFoundException(what + ": no HTTP client for foreign URLs without a pull host");
    }
    // A foreign server is not the registry: no credentials, no configured headers.
    RegistryHost bare =
        new RegistryHost(
            hosts.get(0).client(), Authorizer.NONE, scheme, uri.getRawAuthority(), "/",
            EnumSet.of(HostCapability.PULL), Map.of());
    Map<String, String> headers = offset > 0 ? Map.of("Range", "bytes=" + offset + "-") : Map.of();
    Reply reply = requester.send(new Requester.Call(bare, "GET", uri, headers, List.of(), false));
    if (!reply.ok()) {
      throw RegistryErrors.toException(what, reply);
    }
    return RangeReply.positioned(reply, offset, what);
  }

  private String hostNames() {
    List<String> names = new ArrayList<>();
    for (RegistryHost h : hosts) {
      names.add(h.host());
    }
    return String.join(", ", names);
  }
}
