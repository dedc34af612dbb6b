package dev.hoist.remotes.docker.internal;

import dev.hoist.content.ByteRange;
import dev.hoist.content.ContentWriter;
import dev.hoist.errors.HoistException;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.errors.NotFoundException;
import dev.hoist.errors.UnavailableException;
import dev.hoist.reference.Reference;
import dev.hoist.remotes.docker.Authorizer;
import dev.hoist.remotes.docker.HostCapability;
import dev.hoist.remotes.docker.RegistryHost;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.MediaTypes;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
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
  private final ChunkBudget budget;
  private final ResolverThreads threads;

  /** Set once a server answered a range with the full body: chunking is off for this fetcher. */
  private volatile boolean rangesIgnored;

  /**
   * {@code hosts} are filtered to those with {@link HostCapability#PULL}; large blobs are fetched
   * in parallel chunks on {@code threads} while {@code budget} has buffers.
   */
  public BlobOpener(
      Requester requester,
      List<RegistryHost> hosts,
      Reference ref,
      ChunkBudget budget,
      ResolverThreads threads) {
    this.requester = requester;
    this.budget = budget;
    this.threads = threads;
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
    Settings settings = requester.settings();
    long remaining = desc.size() - offset;
    boolean chunked =
        settings.chunkParallelism() > 1
            && remaining > settings.chunkSize()
            && !rangesIgnored
            && !MediaTypes.isManifestOrIndex(desc.mediaType());
    if (!chunked) {
      Source whole = new Source(desc, -1, Mode.STREAM);
      return whole.stream(offset, desc.size());
    }
    int buffers = budget.tryTake(settings.chunkParallelism());
    if (buffers < 2) {
      // Other large blobs hold the chunk buffers: this one streams on its single connection.
      budget.give(buffers);
      return new Source(desc, -1, Mode.STREAM).stream(offset, desc.size());
    }
    // The first request asks for the first chunk's closed range, so that the server stops at the
    // chunk's end (an open range would keep it sending what the other chunks fetch) and the reply
    // says whether it honours ranges: a 206 starts the parallel chunks, a 200 is the whole blob.
    long firstEnd = Math.min(desc.size(), offset + settings.chunkSize());
    Source probe = new Source(desc, firstEnd, Mode.PROBE_RANGES);
    Opened first;
    try {
      first = probe.open(offset, 0);
    } catch (IOException | RuntimeException e) {
      budget.give(buffers);
      throw e;
    }
    if (!first.partial()) {
      budget.give(buffers);
      rangesIgnored = true;
      log.debug("{}: the server ignored Range; fetching as one stream", what);
      Source whole = new Source(desc, -1, Mode.STREAM);
      whole.serving = first.host();
      return new ResumingInputStream(first.body(), offset, desc.size(), whole::resume, what);
    }
    Source firstChunk = new Source(desc, firstEnd, Mode.CHUNK);
    firstChunk.serving = first.host();
    InputStream firstBody =
        new ResumingInputStream(first.body(), offset, firstEnd, firstChunk::resume, what);
    long size = desc.size();
    return new ChunkedBlobStream(
        firstBody,
        offset,
        size,
        settings.chunkSize(),
        buffers,
        () -> budget.give(buffers),
        // A closed range: the reply ends with the chunk, so its connection is read to the end and
        // kept alive for the next request instead of being hung up on (containerd asks for the
        // open-ended rest and closes the connection after one chunk, so the server keeps sending
        // bytes nobody reads until it notices). The first chunk's request above too.
        (start, end) -> new Source(desc, end, Mode.CHUNK).stream(start, end),
        threads.chunks(),
        what);
  }

  /**
   * Fetches the {@code gaps} of a large blob as parallel chunks written at their offsets (see
   * {@link ChunkedFill}); false, with nothing written, when chunking does not apply (a manifest,
   * chunking off, a server that ignores {@code Range}, or other blobs holding the chunk budget),
   * and the caller reads the gaps as streams instead.
   */
  public boolean fill(Descriptor desc, ContentWriter w, List<ByteRange> gaps, LongConsumer progress)
      throws IOException {
    Settings settings = requester.settings();
    boolean toEnd = gaps.size() == 1 && gaps.get(0).end() == desc.size();
    if (gaps.isEmpty()
        || settings.chunkParallelism() <= 1
        || rangesIgnored
        || MediaTypes.isManifestOrIndex(desc.mediaType())
        || (toEnd && gaps.get(0).length() <= settings.chunkSize())) {
      return false; // one stream to the end of the blob is all it takes
    }
    int buffers = budget.tryTake(settings.chunkParallelism());
    if (buffers < 2 && toEnd) {
      budget.give(buffers); // other blobs hold the budget: one stream to the end, as open() does
      return false;
    }
    try {
      // The first chunk's request tells whether the server honours ranges: a 206 starts the
      // parallel chunks, a 200 turns chunking off and the caller streams.
      ByteRange first = ChunkedFill.firstChunk(gaps, settings.chunkSize());
      Opened opened = new Source(desc, first.end(), Mode.PROBE_RANGES).open(first.start(), 0);
      if (!opened.partial()) {
        rangesIgnored = true;
        opened.body().close();
        log.debug("{}: the server ignored Range; fetching as one stream", what(desc));
        return false;
      }
      Source firstChunk = new Source(desc, first.end(), Mode.CHUNK);
      firstChunk.serving = opened.host();
      InputStream firstBody =
          new ResumingInputStream(
              opened.body(), first.start(), first.end(), firstChunk::resume, what(desc));
      new ChunkedFill(
              w,
              gaps,
              settings.chunkSize(),
              firstBody,
              // Without buffers from the budget (other blobs hold them) one connection fetches
              // the gaps in turn, each a closed range so that nothing past a gap is sent.
              Math.max(1, buffers),
              (start, end) -> new Source(desc, end, Mode.CHUNK).stream(start, end),
              threads.chunks(),
              progress,
              what(desc))
          .run();
      return true;
    } finally {
      budget.give(buffers);
    }
  }

  /** How a request for part of a blob is made and which replies it takes. */
  enum Mode {
    /** The rest of the blob: {@code Range} only from a non-zero offset; a 200 is skipped ahead. */
    STREAM,
    /** The first chunk: always a closed {@code Range}; a 200 (ranges ignored) is taken too. */
    PROBE_RANGES,
    /** A chunk: always a closed {@code Range} over HTTP/1.1; anything but a 206 is refused. */
    CHUNK;

    boolean alwaysRange() {
      return this != STREAM;
    }

    boolean requirePartial() {
      return this == CHUNK;
    }
  }

  /**
   * One range of a blob, opened and reopened: remembers which host served it last, so that a body
   * that broke resumes from the next host when there is one (a mirror that fails in the middle of a
   * pull hands over instead of being asked again). Used by one reader at a time.
   */
  private final class Source {
    private final Descriptor desc;
    private final long end;
    private final Mode mode;

    /** The index of the host whose body is being read (-1: a foreign URL). */
    private int serving;

    Source(Descriptor desc, long end, Mode mode) {
      this.desc = desc;
      this.end = end;
      this.mode = mode;
    }

    Opened open(long offset, int firstHost) throws IOException {
      Opened o = openOnce(desc, offset, end, firstHost, mode);
      serving = o.host();
      return o;
    }

    /** A body from {@code offset} to {@code until} that resumes where it broke. */
    InputStream stream(long offset, long until) throws IOException {
      return new ResumingInputStream(
          open(offset, 0).body(), offset, until, this::resume, what(desc));
    }

    /** The body from {@code offset}, from the host after the one that served last (or the last). */
    InputStream resume(long offset) throws IOException {
      return open(offset, Math.max(0, Math.min(serving + 1, hosts.size() - 1))).body();
    }
  }

  /**
   * A reply body positioned at the requested offset.
   *
   * @param body the body
   * @param partial whether the reply was a 206
   * @param host the index of the pull host that answered; -1 for a foreign URL
   */
  private record Opened(InputStream body, boolean partial, int host) {
    Opened from(int index) {
      return new Opened(body, partial, index);
    }
  }

  private String what(Descriptor desc) {
    return (MediaTypes.isManifestOrIndex(desc.mediaType()) ? "manifest " : "blob ")
        + ref.locator()
        + "@"
        + desc.digest();
  }

  /**
   * One request for {@code desc} from {@code offset}, across the pull hosts.
   *
   * @param end the end (exclusive) of a closed range, or -1 for the rest of the blob
   * @param firstHost the index of the first pull host to ask
   * @param mode which {@code Range} to send and which replies to take (a chunk must never fall back
   *     to skipping the prefix of a full body)
   * @return the body, whether it is partial, and which host served it
   */
  private Opened openOnce(Descriptor desc, long offset, long end, int firstHost, Mode mode)
      throws IOException {
    boolean alwaysRange = mode.alwaysRange();
    boolean requirePartial = mode.requirePartial();
    String what = what(desc);
    HoistException firstError = null;
    if (requester.settings().followForeignUrls()) {
      for (String url : desc.urls()) {
        try {
          return openForeign(
                  desc, url, range(offset, end, alwaysRange), offset, what, requirePartial)
              .from(-1);
        } catch (HoistException e) {
          log.debug("{}: foreign URL failed, trying the registry: {}", what, e.getMessage());
          if (firstError == null && !(e instanceof NotFoundException)) {
            firstError = e;
          }
        }
      }
    }
    if (hosts.isEmpty()) {
      throw new NotFoundException(
          what + ": no registry host with the pull capability for " + ref.hostname());
    }
    boolean manifest = MediaTypes.isManifestOrIndex(desc.mediaType());
    String kind = manifest ? "manifests" : "blobs";
    Map<String, String> headers = new HashMap<>();
    headers.put("Accept", manifest ? desc.mediaType() + ", " + ManifestResolution.ACCEPT : "*/*");
    String range = range(offset, end, alwaysRange);
    if (range != null) {
      headers.put("Range", range);
    }
    for (int i = firstHost; i < hosts.size(); i++) {
      RegistryHost host = hosts.get(i);
      URI uri =
          Urls.registry(host, ref.hostname(), ref.repository(), kind, desc.digest().toString());
      try {
        Reply reply =
            requester.send(
                new Requester.Call(
                    host,
                    "GET",
                    uri,
                    headers,
                    ManifestResolution.pullScope(ref),
                    i == hosts.size() - 1,
                    chunkVersion(requirePartial)));
        if (!reply.ok()) {
          throw RegistryErrors.toException(what, reply);
        }
        return positioned(reply, offset, range, what, requirePartial).from(i);
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
    throw new NotFoundException(what + ": not found on " + hostNames() + foreignHint(desc));
  }

  /**
   * A foreign (non-distributable) layer often exists only at its {@code urls}: say how to follow
   * them.
   */
  private String foreignHint(Descriptor desc) {
    if (desc.urls().isEmpty() || requester.settings().followForeignUrls()) {
      return "";
    }
    return "; it is a foreign layer with urls, which are not followed: enable"
        + " DockerResolver.builder().followForeignUrls(true) (hoist fetch --follow-foreign-urls)";
  }

  /** The {@code Range} header value, or null for a request of the whole blob. */
  private static String range(long offset, long end, boolean alwaysRange) {
    if (end > 0) {
      return "bytes=" + offset + "-" + (end - 1);
    }
    return offset > 0 || alwaysRange ? "bytes=" + offset + "-" : null;
  }

  private Opened openForeign(
      Descriptor desc, String url, String range, long offset, String what, boolean requirePartial)
      throws IOException {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new InvalidArgumentException(what + ": malformed foreign URL", e);
    }
    String scheme =
        uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
      throw new InvalidArgumentException(
          what + ": foreign URL is not http(s): " + RegistryErrors.redact(uri));
    }
    if (hosts.isEmpty()) {
      throw new NotFoundException(what + ": no HTTP client for foreign URLs without a pull host");
    }
    // A foreign server is not the registry: no credentials, no configured headers.
    RegistryHost bare =
        new RegistryHost(
            hosts.get(0).transport(),
            Authorizer.NONE,
            scheme,
            uri.getRawAuthority(),
            "/",
            EnumSet.of(HostCapability.PULL),
            Map.of());
    Map<String, String> headers = range != null ? Map.of("Range", range) : Map.of();
    Reply reply =
        requester.send(
            new Requester.Call(
                bare, "GET", uri, headers, List.of(), false, chunkVersion(requirePartial)));
    if (!reply.ok()) {
      throw RegistryErrors.toException(what, reply);
    }
    return positioned(reply, offset, range, what, requirePartial);
  }

  /**
   * Chunk requests go over HTTP/1.1, each on its own connection: chunks exist to use several
   * connections at once, and over HTTP/2 they would share one connection's flow-control window and
   * whatever per-connection bandwidth cap a CDN applies.
   */
  private static HttpClient.Version chunkVersion(boolean chunk) {
    return chunk ? HttpClient.Version.HTTP_1_1 : null;
  }

  private static Opened positioned(
      Reply reply, long offset, String range, String what, boolean requirePartial)
      throws IOException {
    boolean partial = reply.status() == 206;
    if (requirePartial && !partial) {
      reply.close();
      throw new UnavailableException(
          what
              + ": "
              + RegistryErrors.redact(reply.uri())
              + " answered status "
              + reply.status()
              + " to the chunk request Range "
              + range);
    }
    return new Opened(RangeReply.positioned(reply, offset, what), partial, -1);
  }

  private String hostNames() {
    List<String> names = new ArrayList<>();
    for (RegistryHost h : hosts) {
      names.add(h.host());
    }
    return String.join(", ", names);
  }
}
