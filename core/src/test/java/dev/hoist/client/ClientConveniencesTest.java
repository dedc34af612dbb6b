package dev.hoist.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.content.Blobs;
import dev.hoist.errors.UnavailableException;
import dev.hoist.images.Image;
import dev.hoist.images.Images;
import dev.hoist.platforms.Platforms;
import dev.hoist.remotes.Fetcher;
import dev.hoist.remotes.Resolved;
import dev.hoist.remotes.Resolver;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.OciJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The short paths: summary, async fetch with cancellation, deadline, resolver-owned names, reads by
 * digest.
 */
@Timeout(30)
class ClientConveniencesTest extends FetchFixture {

  private final CountDownLatch blocked = new CountDownLatch(1);
  private final CountDownLatch interrupted = new CountDownLatch(1);

  /** Holds the first amd64 layer's download until the fetch's thread is interrupted. */
  private void holdFirstLayerUntilInterrupted() {
    Descriptor layer = image.layers("linux/amd64").get(0);
    remote.onFetch(
        d -> {
          if (!d.digest().equals(layer.digest())) {
            return;
          }
          blocked.countDown();
          try {
            new CountDownLatch(1).await();
          } catch (InterruptedException e) {
            interrupted.countDown();
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new java.io.InterruptedIOException("interrupted"));
          }
        });
  }

  @Test
  void fetchWithSummaryCountsDownloadsThenSaysUpToDate() {
    FetchSummary first = client.fetchWithSummary(REF, ctx().platforms("linux/amd64").build());
    FetchSummary second = client.fetchWithSummary(REF, ctx().platforms("linux/amd64").build());

    // index, manifest, config and 2 layers
    assertThat(first.downloaded()).isEqualTo(5);
    assertThat(first.present()).isZero();
    assertThat(first.bytesDownloaded())
        .isEqualTo(
            image.digestsOf("linux/amd64").stream()
                    .mapToLong(d -> image.blobs().get(d).length)
                    .sum()
                + image.blobs().get(image.root().digest()).length);
    assertThat(first.upToDate()).isFalse();
    assertThat(second.downloaded()).isZero();
    assertThat(second.present()).isEqualTo(5);
    assertThat(second.upToDate()).isTrue();
    assertThat(second.image().name()).isEqualTo(first.image().name());
    assertThat(second.image().target()).isEqualTo(first.image().target());
  }

  @Test
  void cancellingAnAsyncFetchInterruptsItAndRecordsNoImage() throws Exception {
    holdFirstLayerUntilInterrupted();

    CompletableFuture<Image> future =
        client.fetchAsync(REF, ctx().platforms("linux/amd64").build());
    assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(future.cancel(true)).isTrue();

    assertThat(interrupted.await(10, TimeUnit.SECONDS))
        .as("the fetch's thread was interrupted")
        .isTrue();
    assertThat(future).isCancelled();
    assertThat(images.list()).isEmpty();
  }

  @Test
  void anAsyncFetchCompletesWithTheRecordedImage() throws Exception {
    Image image =
        client.fetchAsync(REF, ctx().platforms("linux/amd64").build()).get(10, TimeUnit.SECONDS);

    assertThat(images.get(REF)).contains(image);
  }

  @Test
  void aFetchPastItsDeadlineIsCancelledAndUnavailable() throws Exception {
    holdFirstLayerUntilInterrupted();

    assertThatThrownBy(
            () ->
                client.fetch(
                    REF, ctx().platforms("linux/amd64").timeout(Duration.ofMillis(300)).build()))
        .isInstanceOf(UnavailableException.class)
        .hasMessageContaining(REF)
        .hasMessageContaining("deadline of PT0.3S exceeded");
    // The fetch was cancelled, not left running: its thread saw the interrupt before fetch
    // returned.
    assertThat(interrupted.getCount()).isZero();
    assertThat(images.list()).isEmpty();
  }

  @Test
  void aFetchWithinItsDeadlineReturnsTheImage() {
    Image fetched =
        client.fetch(REF, ctx().platforms("linux/amd64").timeout(Duration.ofSeconds(20)).build());

    assertThat(fetched.target()).isEqualTo(image.root());
  }

  @Test
  void theResolverOwnsTheReferenceSyntax() {
    Resolver passThrough =
        new Resolver() {
          @Override
          public String normalize(String ref) {
            return ref; // no Docker normalisation: "layout:app" stays as given
          }

          @Override
          public Resolved resolve(String ref) throws IOException {
            return new Resolved(ref, remote.resolve(REF).descriptor());
          }

          @Override
          public Fetcher fetcher(String ref) throws IOException {
            return remote.fetcher(REF);
          }
        };

    Image fetched =
        client.fetch(
            "layout:app",
            RemoteContext.builder().resolver(passThrough).platforms("linux/amd64").build());

    assertThat(fetched.name()).isEqualTo("layout:app");
  }

  @Test
  void readsTheConfigOfAnImageAndAnyBlobByDigest() {
    Image fetched = client.fetch(REF, ctx().platforms("linux/amd64").build());
    Descriptor config = image.config("linux/amd64");

    assertThat(Images.config(store, fetched, Platforms.only(Platforms.parse("linux/amd64"))))
        .isEqualTo(OciJson.readConfig(image.blobs().get(config.digest()), "test"));
    assertThat(Blobs.readAll(store, config.digest(), 1 << 20))
        .isEqualTo(image.blobs().get(config.digest()));
  }
}
