package dev.hoist.remotes.docker;

import dev.hoist.content.ByteRange;
import dev.hoist.content.ContentWriter;
import dev.hoist.remotes.RangeFetcher;
import dev.hoist.remotes.docker.internal.BlobOpener;
import dev.hoist.spec.Descriptor;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Objects;
import java.util.function.LongConsumer;

/**
 * Fetches manifests and blobs of one repository from its registry hosts, as containerd's {@code
 * dockerFetcher}. Obtained from {@link DockerResolver#fetcher(String)}; thread-safe.
 *
 * <ul>
 *   <li>Manifests and indexes come from {@code manifests/<digest>}, everything else from {@code
 *       blobs/<digest>}; a descriptor's foreign {@code urls} are tried first when the resolver was
 *       built with {@code followForeignUrls(true)}.
 *   <li>Only hosts with {@link HostCapability#PULL} are asked (containerd asks every configured
 *       host); a 404 moves to the next host.
 *   <li>{@link #fetch(Descriptor, long)} resumes with {@code Range: bytes=N-}: a 206 must start at
 *       {@code N}; a 200 that ignores the range has its first {@code N} bytes discarded; other
 *       replies are refused.
 *   <li>The returned stream is never buffered whole. When the connection drops mid-body it
 *       re-requests the rest with a range (up to three times without progress), then fails with
 *       {@link dev.hoist.errors.UnavailableException}.
 * </ul>
 *
 * <p>The stream is not verified here; the caller's {@code ContentWriter} checks size and digest.
 */
public final class DockerFetcher implements RangeFetcher {

  private final BlobOpener opener;

  DockerFetcher(BlobOpener opener) {
    this.opener = Objects.requireNonNull(opener, "opener");
  }

  /**
   * Opens {@code desc} from byte {@code offset}.
   *
   * @throws dev.hoist.errors.NotFoundException when no pull host has it
   * @throws dev.hoist.errors.UnauthorizedException when credentials are missing or refused
   * @throws dev.hoist.errors.UnavailableException when the registry stays unreachable or overloaded
   * @throws dev.hoist.errors.InvalidArgumentException for an offset outside the blob or a range
   *     reply that does not fit the request
   */
  @Override
  public InputStream fetch(Descriptor desc, long offset) throws IOException {
    Objects.requireNonNull(desc, "desc");
    return opener.open(desc, offset);
  }

  /**
   * Fetches the missing ranges of a large blob as parallel closed {@code Range} requests, each
   * chunk written at its offset as it arrives, so that an interrupted fetch keeps what it received
   * and the next asks only for the gaps. Declines (returns false) for manifests, blobs small enough
   * for one stream, servers that ignore {@code Range}, and when chunking is off.
   *
   * @throws dev.hoist.errors.UnavailableException when a chunk fails after its retries
   */
  @Override
  public boolean fetchInto(
      Descriptor desc, ContentWriter w, List<ByteRange> gaps, LongConsumer progress)
      throws IOException {
    Objects.requireNonNull(desc, "desc");
    return opener.fill(desc, w, gaps, progress);
  }

  @Override
  public String toString() {
    return "DockerFetcher" + opener.hosts();
  }
}
