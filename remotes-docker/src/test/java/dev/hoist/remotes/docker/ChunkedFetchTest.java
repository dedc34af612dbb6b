package dev.hoist.remotes.docker;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.hoist.digest.Digest;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.errors.UnavailableException;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.MediaTypes;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Large blobs fetched as parallel Range chunks ("multipart layer fetch") against WireMock. */
@Timeout(60)
class ChunkedFetchTest {

  @RegisterExtension
  static final WireMockExtension wm =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  static final int CHUNK = 64 << 10;
  static final AtomicInteger SEED = new AtomicInteger();

  // A blob of its own per test: cancelled chunk requests of an earlier test may still arrive.
  final byte[] BLOB = random(5 * CHUNK + 1234);
  final Descriptor DESC = Descriptor.of(MediaTypes.OCI_LAYER, Digest.sha256(BLOB), BLOB.length);
  final String PATH = "/v2/team/app/blobs/" + DESC.digest();

  final RecordingSleeper sleeper = new RecordingSleeper();

  static byte[] random(int n) {
    byte[] b = new byte[n];
    new Random(SEED.incrementAndGet()).nextBytes(b);
    return b;
  }

  List<LoggedRequest> requests() {
    return wm.findAll(getRequestedFor(urlEqualTo(PATH)));
  }

  DockerFetcher fetcher(int parallelism) throws Exception {
    return DockerResolver.builder()
        .sleeper(sleeper)
        .chunkSize(CHUNK)
        .chunkParallelism(parallelism)
        .build()
        .fetcher("localhost:" + wm.getPort() + "/team/app:1");
  }

  /**
   * Answers {@code Range: bytes=<start>-} with a 206 of the rest of the blob, and the chunk's
   * closed range {@code bytes=<start>-<start + CHUNK - 1>} with a 206 of that chunk.
   */
  void servesRangeFrom(long start) {
    wm.stubFor(
        get(urlEqualTo(PATH))
            .withHeader("Range", equalTo("bytes=" + start + "-"))
            .willReturn(
                aResponse()
                    .withStatus(206)
                    .withHeader(
                        "Content-Range",
                        "bytes " + start + "-" + (BLOB.length - 1) + "/" + BLOB.length)
                    .withBody(Arrays.copyOfRange(BLOB, (int) start, BLOB.length))));
    long end = Math.min(start + CHUNK, BLOB.length);
    wm.stubFor(
        get(urlEqualTo(PATH))
            .withHeader("Range", equalTo(chunkRange(start)))
            .willReturn(
                aResponse()
                    .withStatus(206)
                    .withHeader(
                        "Content-Range", "bytes " + start + "-" + (end - 1) + "/" + BLOB.length)
                    .withBody(Arrays.copyOfRange(BLOB, (int) start, (int) end))));
  }

  String chunkRange(long start) {
    return "bytes=" + start + "-" + (Math.min(start + CHUNK, BLOB.length) - 1);
  }

  static byte[] read(InputStream in) throws Exception {
    try (in) {
      return in.readAllBytes();
    }
  }

  @Test
  void asksEveryChunkIncludingTheFirstWithItsClosedRangeAndJoinsThemInOrder() throws Exception {
    for (long s = 0; s < BLOB.length; s += CHUNK) {
      servesRangeFrom(s);
    }

    assertThat(read(fetcher(3).fetch(DESC))).isEqualTo(BLOB);
    // An open-ended first range would have the server send the whole blob while the other chunks
    // fetch it too.
    wm.verify(0, getRequestedFor(urlEqualTo(PATH)).withHeader("Range", equalTo("bytes=0-")));
    for (long s = 0; s < BLOB.length; s += CHUNK) {
      wm.verify(1, getRequestedFor(urlEqualTo(PATH)).withHeader("Range", equalTo(chunkRange(s))));
    }
    assertThat(requests()).hasSize(6);
  }

  @Test
  void resumesAtAnOffsetInChunksFromThere() throws Exception {
    long offset = CHUNK + 100;
    for (long s = offset; s < BLOB.length; s += CHUNK) {
      servesRangeFrom(s);
    }

    assertThat(read(fetcher(4).fetch(DESC, offset)))
        .isEqualTo(Arrays.copyOfRange(BLOB, (int) offset, BLOB.length));
    assertThat(requests()).hasSize(5);
  }

  @Test
  void fallsBackToOneStreamWhenTheServerIgnoresRange() throws Exception {
    wm.stubFor(get(urlEqualTo(PATH)).willReturn(aResponse().withStatus(200).withBody(BLOB)));
    DockerFetcher fetcher = fetcher(4);

    assertThat(read(fetcher.fetch(DESC))).isEqualTo(BLOB);
    assertThat(requests()).hasSize(1);
    // The fetcher remembers: the next blob is not even asked for with a range.
    assertThat(read(fetcher.fetch(DESC))).isEqualTo(BLOB);
    assertThat(requests()).hasSize(2);
    assertThat(requests().get(0).getHeader("Range")).isEqualTo(chunkRange(0));
    assertThat(requests().get(1).containsHeader("Range")).isFalse();
  }

  @Test
  void aChunkAnsweredWithTheFullBodyFailsCleanlyInsteadOfSkippingThePrefix() throws Exception {
    servesRangeFrom(0);
    wm.stubFor(
        get(urlEqualTo(PATH))
            .withHeader("Range", equalTo(chunkRange(CHUNK)))
            .willReturn(aResponse().withStatus(200).withBody(BLOB)));
    for (long s = 2 * CHUNK; s < BLOB.length; s += CHUNK) {
      servesRangeFrom(s);
    }

    InputStream in = fetcher(2).fetch(DESC);
    assertThat(in.readNBytes(CHUNK)).isEqualTo(Arrays.copyOfRange(BLOB, 0, CHUNK));
    assertThatThrownBy(in::read)
        .isInstanceOf(UnavailableException.class)
        .hasMessageContaining(DESC.digest().toString())
        .hasMessageContaining(
            "answered status 200 to the chunk request Range " + chunkRange(CHUNK));
    in.close();
  }

  @Test
  void aChunkThatKeepsFailingFailsTheFetchWithTheRegistryError() throws Exception {
    for (long s = 0; s < BLOB.length; s += CHUNK) {
      servesRangeFrom(s);
    }
    wm.stubFor(
        get(urlEqualTo(PATH))
            .withHeader("Range", equalTo(chunkRange(2 * CHUNK)))
            .willReturn(aResponse().withStatus(503)));

    try (InputStream in = fetcher(3).fetch(DESC)) {
      assertThat(in.readNBytes(2 * CHUNK)).isEqualTo(Arrays.copyOfRange(BLOB, 0, 2 * CHUNK));
      assertThatThrownBy(in::read)
          .isInstanceOf(UnavailableException.class)
          .hasMessageContaining("503");
    }
  }

  @Test
  void smallBlobsAndManifestsAreNeverChunked() throws Exception {
    byte[] small = Arrays.copyOf(BLOB, CHUNK);
    Descriptor desc = Descriptor.of(MediaTypes.OCI_LAYER, Digest.sha256(small), small.length);
    String path = "/v2/team/app/blobs/" + desc.digest();
    wm.stubFor(get(urlEqualTo(path)).willReturn(aResponse().withStatus(200).withBody(small)));

    assertThat(read(fetcher(4).fetch(desc))).isEqualTo(small);
    assertThat(wm.findAll(getRequestedFor(urlEqualTo(path))))
        .singleElement()
        .satisfies(r -> assertThat(r.containsHeader("Range")).isFalse());
  }

  @Test
  void parallelismOneFetchesOneStreamWithoutRange() throws Exception {
    wm.stubFor(get(urlEqualTo(PATH)).willReturn(aResponse().withStatus(200).withBody(BLOB)));

    assertThat(read(fetcher(1).fetch(DESC))).isEqualTo(BLOB);
    assertThat(requests()).hasSize(1);
    assertThat(requests().get(0).containsHeader("Range")).isFalse();
  }

  @Test
  void refusesChunkOptionsOutOfRange() {
    assertThatThrownBy(() -> DockerResolver.builder().chunkSize(1000))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("1000");
    assertThatThrownBy(() -> DockerResolver.builder().chunkParallelism(0))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("0");
  }
}
