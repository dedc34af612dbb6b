package dev.hoist.remotes;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.client.ProgressListener;
import dev.hoist.content.Blobs;
import dev.hoist.content.ContentWriter;
import dev.hoist.content.InMemoryContentStore;
import dev.hoist.content.IngestRefs;
import dev.hoist.content.Ingester;
import dev.hoist.content.TestBlobs;
import dev.hoist.digest.Digest;
import dev.hoist.errors.DigestMismatchException;
import dev.hoist.errors.FailedPreconditionException;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.errors.NotImplementedException;
import dev.hoist.errors.UnavailableException;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.MediaTypes;
import dev.hoist.spec.OciJson;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class FetchHandlerTest {

  private final InMemoryContentStore store = new InMemoryContentStore();
  private final RecordingListener listener = new RecordingListener();
  private final byte[] layer = TestBlobs.randomBytes(2 * 1024 * 1024 + 100, 7);
  private final Descriptor desc =
      Descriptor.of(MediaTypes.OCI_LAYER_GZIP, Digest.sha256(layer), layer.length);
  private final String ref = IngestRefs.of(desc);

  /** Offsets the range fetcher was asked for. */
  private final List<Long> offsets = new ArrayList<>();

  private final AtomicInteger fetches = new AtomicInteger();

  @AfterEach
  void clearInterrupt() {
    Thread.interrupted();
  }

  private RangeFetcher serving(byte[] content) {
    return (d, offset) -> {
      synchronized (offsets) {
        offsets.add(offset);
      }
      fetches.incrementAndGet();
      return new ByteArrayInputStream(content, (int) offset, content.length - (int) offset);
    };
  }

  private final Fetcher mustNotFetch =
      d -> {
        fetches.incrementAndGet();
        throw new AssertionError("no fetch expected for " + d);
      };

  private FetchHandler handler(Fetcher fetcher) {
    return FetchHandler.builder(store, fetcher).progress(listener).build();
  }

  private void keepPartial(int bytes) throws IOException {
    try (ContentWriter w = store.writer(ref, desc)) {
      w.write(ByteBuffer.wrap(layer, 0, bytes));
    }
  }

  @Test
  void commitsBlobWhoseDigestMatches() throws IOException {
    List<Descriptor> children = handler(serving(layer)).handle(desc);

    assertThat(children).isEmpty();
    assertThat(Blobs.readAll(store, desc, layer.length)).isEqualTo(layer);
    assertThat(offsets).containsExactly(0L);
    assertThat(listener.events()).containsExactly("downloading 0", "done");
    assertThat(listener.bytes).hasValue(layer.length);
    assertThat(store.ingests()).isEmpty();
  }

  @Test
  void ofUsesDefaultsAndPlainFetcher() throws IOException {
    FetchHandler.of(store, d -> new ByteArrayInputStream(layer)).handle(desc);

    assertThat(store.exists(desc.digest())).isTrue();
  }

  @Test
  void digestMismatchCommitsNothingAndNextAttemptStartsFromZero() throws IOException {
    byte[] wrong = TestBlobs.randomBytes(layer.length, 8);

    assertThatThrownBy(() -> handler(serving(wrong)).handle(desc))
        .isInstanceOf(DigestMismatchException.class)
        .hasMessageContaining(desc.digest().toString());
    assertThat(store.exists(desc.digest())).isFalse();
    assertThat(store.exists(Digest.sha256(wrong))).isFalse();
    assertThat(listener.events())
        .containsExactly("downloading 0", "failed DigestMismatchException");

    offsets.clear();
    handler(serving(layer)).handle(desc);

    assertThat(offsets).containsExactly(0L);
    assertThat(Blobs.readAll(store, desc, layer.length)).isEqualTo(layer);
  }

  @Test
  void digestMismatchIsDiscardedByAbortWhenWriterCannotTruncate() throws IOException {
    NoTruncateStore noTruncate = new NoTruncateStore(store);
    byte[] wrong = TestBlobs.randomBytes(layer.length, 8);

    assertThatThrownBy(() -> FetchHandler.of(noTruncate, serving(wrong)).handle(desc))
        .isInstanceOf(DigestMismatchException.class);

    assertThat(store.ingests()).isEmpty();
    assertThat(store.exists(desc.digest())).isFalse();
  }

  @Test
  void resumesPartialIngestFromRangeFetcherAtWriterOffset() throws IOException {
    keepPartial(1_500_000);

    handler(serving(layer)).handle(desc);

    assertThat(offsets).containsExactly(1_500_000L);
    assertThat(listener.bytes).hasValue(layer.length - 1_500_000L);
    assertThat(listener.events()).containsExactly("downloading 1500000", "done");
    assertThat(Blobs.readAll(store, desc, layer.length)).isEqualTo(layer);
  }

  @Test
  void resumesWithPlainFetcherBySkippingKeptPrefix() throws IOException {
    keepPartial(1_000);

    handler(d -> new ByteArrayInputStream(layer)).handle(desc);

    assertThat(listener.bytes).hasValue(layer.length - 1_000L);
    assertThat(Blobs.readAll(store, desc, layer.length)).isEqualTo(layer);
  }

  @Test
  void completeIngestIsCommittedWithoutFetching() throws IOException {
    keepPartial(layer.length);

    handler(mustNotFetch).handle(desc);

    assertThat(fetches).hasValue(0);
    assertThat(store.exists(desc.digest())).isTrue();
    assertThat(listener.events()).containsExactly("downloading " + layer.length, "done");
  }

  @Test
  void existingBlobIsNotFetchedAndReportedAsExists() throws IOException {
    TestBlobs.commit(store, "earlier", layer);

    List<Descriptor> children = handler(mustNotFetch).handle(desc);

    assertThat(children).isEmpty();
    assertThat(fetches).hasValue(0);
    assertThat(listener.events()).containsExactly("exists");
  }

  @Test
  void sizeZeroIsRejectedWithoutFetching() {
    Descriptor zero = Descriptor.of(MediaTypes.OCI_LAYER_GZIP, desc.digest(), 0);

    assertThatThrownBy(() -> handler(mustNotFetch).handle(zero))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining(desc.digest().toString())
        .hasMessageContaining("zero");
    assertThat(fetches).hasValue(0);
    assertThat(listener.events()).containsExactly("failed InvalidArgumentException");
  }

  @Test
  void schema1IsRejectedWithoutFetching() {
    Descriptor schema1 =
        Descriptor.of(MediaTypes.DOCKER_SCHEMA1_SIGNED_MANIFEST, Digest.sha256("s1"), 100);

    assertThatThrownBy(() -> handler(mustNotFetch).handle(schema1))
        .isInstanceOf(NotImplementedException.class)
        .hasMessageContaining("schema 1")
        .hasMessageContaining(schema1.digest().toString());
    assertThat(fetches).hasValue(0);
  }

  @Test
  void manifestOverDefaultLimitIsRejectedWithoutFetching() throws IOException {
    Descriptor huge =
        Descriptor.of(
            MediaTypes.OCI_INDEX, Digest.sha256("huge"), OciJson.DEFAULT_MAX_MANIFEST_BYTES + 1);

    assertThatThrownBy(() -> handler(mustNotFetch).handle(huge))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining(huge.digest().toString())
        .hasMessageContaining(Long.toString(OciJson.DEFAULT_MAX_MANIFEST_BYTES));
    assertThat(fetches).hasValue(0);
    assertThat(store.ingests()).isEmpty();
  }

  @Test
  void manifestLimitIsConfigurableAndAppliesOnlyToManifests() throws IOException {
    byte[] manifest = "{\"schemaVersion\":2,\"padding\":\"..............\"}".getBytes(UTF_8);
    Descriptor manifestDesc =
        Descriptor.of(MediaTypes.OCI_MANIFEST, Digest.sha256(manifest), manifest.length);
    FetchHandler limited =
        FetchHandler.builder(store, serving(layer)).maxManifestBytes(manifest.length - 1).build();

    assertThatThrownBy(() -> limited.handle(manifestDesc))
        .isInstanceOf(InvalidArgumentException.class);
    limited.handle(desc); // a layer far larger than the limit

    assertThat(store.exists(desc.digest())).isTrue();
  }

  @Test
  void shortStreamFailsAndKeepsPartialIngest() throws IOException {
    byte[] truncated = Arrays.copyOf(layer, 1_200_000);

    assertThatThrownBy(() -> handler(serving(truncated)).handle(desc))
        .isInstanceOf(FailedPreconditionException.class)
        .hasMessageContaining("unexpected EOF")
        .hasMessageContaining("got 1200000 of " + layer.length);

    assertThat(store.exists(desc.digest())).isFalse();
    assertThat(store.status(ref).offset()).isEqualTo(1_200_000);
    assertThat(listener.events())
        .containsExactly("downloading 0", "failed FailedPreconditionException");
    // The writer was closed: the ref is free and the next attempt resumes.
    offsets.clear();
    handler(serving(layer)).handle(desc);
    assertThat(offsets).containsExactly(1_200_000L);
    assertThat(Blobs.readAll(store, desc, layer.length)).isEqualTo(layer);
  }

  @Test
  void readFailureIsUnavailableAndKeepsPartialIngest() throws IOException {
    Fetcher resets =
        d ->
            new InputStream() {
              private int pos;

              @Override
              public int read() throws IOException {
                if (pos == 1024 * 1024) {
                  throw new IOException("connection reset");
                }
                return layer[pos++] & 0xff;
              }
            };

    assertThatThrownBy(() -> handler(resets).handle(desc))
        .isInstanceOf(UnavailableException.class)
        .hasMessageContaining("connection reset");

    assertThat(store.status(ref).offset()).isEqualTo(1024 * 1024);
    try (ContentWriter w = store.writer(ref, desc)) {
      assertThat(w.status().offset()).isEqualTo(1024 * 1024);
    }
  }

  @Test
  void interruptCancelsAndKeepsPartialIngest() throws IOException {
    Fetcher interruptsAfterFirstMiB =
        d ->
            new ByteArrayInputStream(layer) {
              @Override
              public synchronized int read(byte[] b, int off, int len) {
                if (pos >= 1024 * 1024) {
                  Thread.currentThread().interrupt();
                }
                return super.read(b, off, len);
              }
            };

    assertThatThrownBy(() -> handler(interruptsAfterFirstMiB).handle(desc))
        .isInstanceOf(CancellationException.class);

    assertThat(Thread.interrupted()).isTrue();
    assertThat(store.exists(desc.digest())).isFalse();
    assertThat(store.status(ref).offset()).isGreaterThanOrEqualTo(1024 * 1024);
    assertThat(listener.events()).containsExactly("downloading 0", "failed CancellationException");
    store.writer(ref, desc).close(); // not left locked
  }

  @Test
  void throwingListenerDoesNotBreakFetch() throws IOException {
    ProgressListener hostile =
        new ProgressListener() {
          @Override
          public void downloading(Descriptor d, long offset) {
            throw new IllegalStateException("listener bug");
          }

          @Override
          public void bytesTransferred(Descriptor d, long count) {
            throw new IllegalStateException("listener bug");
          }

          @Override
          public void done(Descriptor d) {
            throw new IllegalStateException("listener bug");
          }
        };

    FetchHandler.builder(store, serving(layer)).progress(hostile).build().handle(desc);

    assertThat(Blobs.readAll(store, desc, layer.length)).isEqualTo(layer);
  }

  @Test
  void busyRefFailsWithUnavailableAfterMaxWaitWithoutFetching() throws IOException {
    try (ContentWriter holder = store.writer(ref, desc)) {
      FetchHandler impatient =
          FetchHandler.builder(store, mustNotFetch).maxWaitForBusyRef(Duration.ZERO).build();

      assertThatThrownBy(() -> impatient.handle(desc))
          .isInstanceOf(UnavailableException.class)
          .hasMessageContaining(ref);
      assertThat(holder.isOpen()).isTrue();
    }
    assertThat(fetches).hasValue(0);
  }

  @Test
  void concurrentFetchOfSameBlobWaitsForBusyRefAndFetchesOnce() throws Exception {
    CountDownLatch inFetch = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch secondFoundRefBusy = new CountDownLatch(1);
    Fetcher slow =
        d -> {
          fetches.incrementAndGet();
          inFetch.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            throw new java.io.InterruptedIOException("interrupted");
          }
          return new ByteArrayInputStream(layer);
        };
    Ingester watching =
        (r, d) -> {
          try {
            return store.writer(r, d);
          } catch (UnavailableException e) {
            secondFoundRefBusy.countDown();
            throw e;
          }
        };
    FetchHandler handler = FetchHandler.builder(watching, slow).progress(listener).build();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<List<Descriptor>> first = pool.submit(() -> handler.handle(desc));
      assertThat(inFetch.await(20, TimeUnit.SECONDS)).isTrue();
      Future<List<Descriptor>> second = pool.submit(() -> handler.handle(desc));
      assertThat(secondFoundRefBusy.await(20, TimeUnit.SECONDS)).isTrue();
      release.countDown();

      assertThat(first.get(20, TimeUnit.SECONDS)).isEmpty();
      assertThat(second.get(20, TimeUnit.SECONDS)).isEmpty();
    } finally {
      pool.shutdownNow();
    }

    assertThat(fetches).hasValue(1);
    assertThat(listener.events()).containsExactlyInAnyOrder("downloading 0", "done", "exists");
    assertThat(Blobs.readAll(store, desc, layer.length)).isEqualTo(layer);
  }

  @Test
  void remoteNotFoundPassesThroughAndIsReported() {
    Fetcher missing =
        d -> {
          throw new dev.hoist.errors.NotFoundException("fetch " + d.digest() + ": 404");
        };

    assertThatThrownBy(() -> handler(missing).handle(desc))
        .isInstanceOf(dev.hoist.errors.NotFoundException.class);
    assertThat(listener.events()).containsExactly("downloading 0", "failed NotFoundException");
  }

  @Test
  void commitLabelsAreOnTheNewBlobAndLeaveAnExistingBlobsLabelsAlone() throws IOException {
    FetchHandler labelling =
        FetchHandler.builder(store, serving(layer))
            .commitLabels(java.util.Map.of("k", "new"))
            .build();

    labelling.handle(desc);
    assertThat(store.info(desc.digest()).labels()).isEqualTo(java.util.Map.of("k", "new"));

    store.update(desc.digest(), java.util.Map.of("k", "kept"));
    labelling.handle(desc); // exists: nothing is committed, so nothing is relabelled
    assertThat(store.info(desc.digest()).labels()).isEqualTo(java.util.Map.of("k", "kept"));
    assertThat(fetches).hasValue(1);
  }

  @Test
  void onCommitHearsOfBlobsThisHandlerCommittedAndNotOfOnesThatExisted() throws IOException {
    List<Descriptor> committed = new ArrayList<>();
    FetchHandler h = FetchHandler.builder(store, serving(layer)).onCommit(committed::add).build();
    byte[] other = TestBlobs.randomBytes(500, 8);
    Descriptor existing = Descriptor.of(MediaTypes.OCI_LAYER, Digest.sha256(other), other.length);
    TestBlobs.commit(store, "before", other);

    h.handle(desc);
    h.handle(existing);
    h.handle(desc);

    assertThat(committed).containsExactly(desc);
    assertThatThrownBy(
            () -> FetchHandler.builder(store, mustNotFetch).onCommit(d -> {}).onCommit(d -> {}))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void onCommitIsNotToldWhenAnotherWriterCommittedTheBlobFirst() throws IOException {
    List<Descriptor> committed = new ArrayList<>();
    // The blob appears while this handler copies it: its commit then finds it there.
    RangeFetcher racing =
        (d, offset) -> {
          TestBlobs.commit(store, "racer", layer);
          return new ByteArrayInputStream(layer, (int) offset, layer.length - (int) offset);
        };
    FetchHandler h = FetchHandler.builder(store, racing).onCommit(committed::add).build();

    h.handle(desc);

    assertThat(Blobs.readAll(store, desc, layer.length)).isEqualTo(layer);
    assertThat(committed).isEmpty();
  }

  @Test
  void builderRejectsBadCommitLabels() {
    FetchHandler.Builder b = FetchHandler.builder(store, mustNotFetch);

    assertThatThrownBy(() -> b.commitLabels(java.util.Map.of("k", "")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("k=");
    assertThatThrownBy(() -> b.commitLabels(java.util.Map.of("", "v")))
        .isInstanceOf(IllegalArgumentException.class);
    b.commitLabels(java.util.Map.of("k", "v"));
    assertThatThrownBy(() -> b.commitLabels(java.util.Map.of("k", "v")))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void builderRejectsBadOptions() {
    FetchHandler.Builder b = FetchHandler.builder(store, mustNotFetch);

    assertThatThrownBy(() -> b.maxManifestBytes(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.maxWaitForBusyRef(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    b.progress(listener);
    assertThatThrownBy(() -> b.progress(listener)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> FetchHandler.builder(null, mustNotFetch))
        .isInstanceOf(NullPointerException.class);
  }
}
