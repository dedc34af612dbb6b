package dev.hoist.digest;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.errors.InvalidArgumentException;
import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DigesterTest {

  private static final String SHA256_ABC =
      "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
  private static final String SHA512_ABC =
      "sha512:ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
          + "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f";
  private static final String SHA256_EMPTY =
      "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  @Test
  void hashesKnownVectors() {
    Digester sha256 = Digester.sha256();
    sha256.update("abc".getBytes(UTF_8), 0, 3);
    Digester sha512 = Digester.of("sha512");
    sha512.update("abc".getBytes(UTF_8), 0, 3);

    assertThat(sha256.digest()).hasToString(SHA256_ABC);
    assertThat(sha512.digest()).hasToString(SHA512_ABC);
    assertThat(Digester.sha256().digest()).hasToString(SHA256_EMPTY);
  }

  @Test
  void digestersMadeAtOnceOnManyThreadsEachHashOnlyTheirOwnBytes() throws Exception {
    int threads = 8;
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(threads);
    try {
      java.util.List<java.util.concurrent.Future<Boolean>> results = new java.util.ArrayList<>();
      java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
      for (int t = 0; t < threads; t++) {
        byte[] own = ("thread " + t).getBytes(UTF_8);
        // From a MessageDigest of its own, not through Digester: the reference.
        String expected =
            "sha256:"
                + java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(own));
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < 2_000; i++) {
                    Digester d = Digester.sha256();
                    d.update(own, 0, own.length);
                    if (!d.digest().toString().equals(expected)) {
                      return false;
                    }
                  }
                  return true;
                }));
      }
      start.countDown();
      for (java.util.concurrent.Future<Boolean> r : results) {
        assertThat(r.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(Digester.sha256().digest()).hasToString(SHA256_EMPTY);
    assertThat(Digester.of("sha512").digest().toString()).startsWith("sha512:cf83e1357eefb8bd");
  }

  @Test
  void incrementalUpdatesEqualOneShot() {
    byte[] data = new byte[100_003];
    new Random(42).nextBytes(data);
    Digester incremental = Digester.sha256();
    int off = 0;
    int chunk = 1;
    while (off < data.length) {
      int len = Math.min(chunk, data.length - off);
      incremental.update(data, off, len);
      off += len;
      chunk = chunk * 3 + 1;
    }

    assertThat(incremental.digest()).isEqualTo(Digest.sha256(data));
    assertThat(incremental.count()).isEqualTo(data.length);
  }

  @Test
  void byteBufferUpdateConsumesRemainingBytesOnly() {
    byte[] data = "xxabcyy".getBytes(UTF_8);
    ByteBuffer heap = ByteBuffer.wrap(data, 2, 3);
    ByteBuffer direct = ByteBuffer.allocateDirect(3).put("abc".getBytes(UTF_8)).flip();
    Digester fromHeap = Digester.sha256();
    Digester fromDirect = Digester.sha256();

    fromHeap.update(heap);
    fromDirect.update(direct);

    assertThat(fromHeap.digest()).hasToString(SHA256_ABC);
    assertThat(fromDirect.digest()).hasToString(SHA256_ABC);
    assertThat(heap.remaining()).isZero();
    assertThat(direct.remaining()).isZero();
    assertThat(fromHeap.count()).isEqualTo(3);
  }

  @Test
  void digestCanBeTakenMidStreamAndHashingContinues() {
    Digester d = Digester.sha256();
    d.update("ab".getBytes(UTF_8), 0, 2);
    Digest partial = d.digest();
    d.update("c".getBytes(UTF_8), 0, 1);

    assertThat(partial).isEqualTo(Digest.sha256("ab"));
    assertThat(d.digest()).hasToString(SHA256_ABC);
    assertThat(d.digest()).as("digest() does not reset").hasToString(SHA256_ABC);
  }

  @Test
  void reportsItsAlgorithm() {
    assertThat(Digester.sha256().algorithm()).isEqualTo("sha256");
    assertThat(Digester.of("sha512").algorithm()).isEqualTo("sha512");
  }

  @Test
  void rejectsUnsupportedAlgorithmNamingIt() {
    assertThatThrownBy(() -> Digester.of("md5"))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("\"md5\"");
    assertThatThrownBy(() -> Digester.of(null)).isInstanceOf(InvalidArgumentException.class);
  }
}
