package dev.hoist.remotes.docker;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.hoist.digest.Digest;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.MediaTypes;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** One fetcher shared by many threads, as Dispatch uses it. */
@Timeout(30)
class DockerFetcherConcurrencyTest {

  @RegisterExtension
  static final WireMockExtension wm =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  @Test
  void concurrentFetchesThroughOneFetcherEachGetTheirOwnBytes() throws Exception {
    List<byte[]> blobs = new ArrayList<>();
    Random random = new Random(42);
    for (int i = 0; i < 8; i++) {
      byte[] b = new byte[200_000 + i];
      random.nextBytes(b);
      blobs.add(b);
      wm.stubFor(
          get(urlPathMatching("/v2/team/app/blobs/" + Digest.sha256(b)))
              .willReturn(aResponse().withStatus(200).withBody(b)));
    }
    DockerFetcher fetcher =
        DockerResolver.builder().build().fetcher("localhost:" + wm.getPort() + "/team/app:1");
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<byte[]>> results = new ArrayList<>();
      for (byte[] b : blobs) {
        Descriptor d = Descriptor.of(MediaTypes.OCI_LAYER_GZIP, Digest.sha256(b), b.length);
        results.add(
            pool.submit(
                () -> {
                  try (InputStream in = fetcher.fetch(d)) {
                    return in.readAllBytes();
                  }
                }));
      }

      for (int i = 0; i < blobs.size(); i++) {
        assertThat(results.get(i).get()).isEqualTo(blobs.get(i));
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
