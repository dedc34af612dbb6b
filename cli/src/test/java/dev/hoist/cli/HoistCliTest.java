package dev.hoist.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hoist.content.local.LocalContentStore;
import dev.hoist.digest.Digest;
import dev.hoist.images.Image;
import dev.hoist.spec.Descriptor;
import dev.hoist.testkit.GeneratedImages;
import dev.hoist.testkit.ImageSpec;
import dev.hoist.testkit.TestImage;
import dev.hoist.testkit.TestRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class HoistCliTest {

  private static TestRegistry registry;
  private static TestRegistry locked;
  private static TestImage image;

  @TempDir Path store;

  @BeforeAll
  static void startRegistries() {
    image =
        GeneratedImages.random(
            ImageSpec.builder()
                .platforms("linux/amd64", "linux/arm64/v8")
                .layers(2, 2048)
                .seed(7)
                .build());
    registry = TestRegistry.start();
    registry.push("team/app:1.0", image);
    locked = TestRegistry.builder().basicAuth("alice", "s3cr3t-pass").start();
    locked.push("team/app:1.0", image);
  }

  @AfterAll
  static void stopRegistries() {
    registry.close();
    locked.close();
  }

  @Test
  void fetchRecordsTheImageAndFetchesOnlyTheRequestedPlatform() throws IOException {
    CliRun run =
        CliRun.of(
            "fetch",
            "--store",
            store.toString(),
            "--platform",
            "linux/arm64",
            "--progress",
            "plain",
            registry.reference("team/app:1.0"));

    assertThat(run.status()).as(run.err()).isZero();
    assertThat(run.out()).contains(image.root().digest().toString()).contains(": done");
    LocalContentStore cs = LocalContentStore.open(store);
    Image recorded = cs.get(registry.reference("team/app:1.0")).orElseThrow();
    assertThat(recorded.target().digest()).isEqualTo(image.root().digest());
    Set<Digest> expected = expectedFor(1); // index + arm64 manifest, config and layers
    assertThat(committed(cs)).isEqualTo(expected);
  }

  @Test
  void allPlatformsFetchesEveryBlob() throws IOException {
    CliRun run =
        CliRun.of(
            "fetch",
            "--store",
            store.toString(),
            "--all-platforms",
            "--progress",
            "none",
            registry.reference("team/app:1.0"));

    assertThat(run.status()).as(run.err()).isZero();
    assertThat(committed(LocalContentStore.open(store))).isEqualTo(image.blobs().keySet());
  }

  @Test
  void metadataOnlySkipsLayers() throws IOException {
    CliRun run =
        CliRun.of(
            "fetch",
            "--store",
            store.toString(),
            "--platform",
            "linux/amd64",
            "--metadata-only",
            "--progress",
            "none",
            registry.reference("team/app:1.0"));

    assertThat(run.status()).as(run.err()).isZero();
    Set<Digest> layers =
        image.layers().stream().map(Descriptor::digest).collect(Collectors.toSet());
    Set<Digest> got = committed(LocalContentStore.open(store));
    assertThat(got).isNotEmpty().doesNotContainAnyElementsOf(layers);
    assertThat(got).contains(image.root().digest());
  }

  @Test
  void imagesLsAndContentLsListWhatWasFetched() {
    String ref = registry.reference("team/app:1.0");
    assertThat(
            CliRun.of(
                    "fetch",
                    "--store",
                    store.toString(),
                    "--all-platforms",
                    "--progress",
                    "none",
                    ref)
                .status())
        .isZero();

    CliRun images = CliRun.of("images", "ls", "--store", store.toString());
    CliRun content = CliRun.of("content", "ls", "--store", store.toString());

    assertThat(images.status()).isZero();
    assertThat(images.out()).contains(ref).contains("linux/amd64").contains("linux/arm64/v8");
    assertThat(content.status()).isZero();
    assertThat(content.out().lines().count()).isEqualTo(image.blobs().size() + 1);
    assertThat(content.out()).contains("containerd.io/gc.ref.content.m.0");
  }

  @Test
  void contentVerifyPassesOnAGoodStoreAndFailsNamingTheDamagedBlob() throws IOException {
    assertThat(
            CliRun.of(
                    "fetch",
                    "--store",
                    store.toString(),
                    "--all-platforms",
                    "--progress",
                    "none",
                    registry.reference("team/app:1.0"))
                .status())
        .isZero();
    assertThat(CliRun.of("content", "verify", "--store", store.toString()).status()).isZero();

    Descriptor layer = image.layers().get(0);
    Path blob =
        store.resolve("blobs").resolve(layer.digest().algorithm()).resolve(layer.digest().hex());
    blob.toFile().setWritable(true);
    byte[] bytes = Files.readAllBytes(blob);
    bytes[10] ^= 0x5a;
    Files.write(blob, bytes, StandardOpenOption.TRUNCATE_EXISTING);

    CliRun verify = CliRun.of("content", "verify", "--store", store.toString());
    assertThat(verify.status()).isEqualTo(1);
    assertThat(verify.err()).contains("damaged " + layer.digest());
    assertThat(verify.out()).contains("1 damaged");
  }

  @Test
  void badReferenceExitsOneWithOneLineAndNoStackTrace() {
    CliRun run = CliRun.of("fetch", "--store", store.toString(), "Not A Ref");

    assertThat(run.status()).isEqualTo(1);
    assertThat(run.err().lines().collect(Collectors.toList()))
        .singleElement()
        .satisfies(l -> assertThat(l).startsWith("hoist: ").contains("Not A Ref"));
  }

  @Test
  void debugAddsTheStackTrace() {
    CliRun run = CliRun.of("fetch", "--debug", "--store", store.toString(), "Not A Ref");

    assertThat(run.status()).isEqualTo(1);
    assertThat(run.err()).startsWith("hoist: ").contains("at dev.hoist.");
  }

  @Test
  void missingTagIsNotFoundNamingTheReference() {
    String ref = registry.reference("team/app:nope");
    CliRun run = CliRun.of("fetch", "--store", store.toString(), "--progress", "none", ref);

    assertThat(run.status()).isEqualTo(1);
    assertThat(run.err()).startsWith("hoist: ").contains("team/app:nope");
    assertThat(run.err().lines().count()).isEqualTo(1);
  }

  @Test
  void unreachableRegistryFailsWithTheHostInTheMessage() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // closed again: nothing listens there
    }
    long start = System.nanoTime();
    CliRun run =
        CliRun.of(
            "fetch",
            "--store",
            store.toString(),
            "--progress",
            "none",
            "--retry-for",
            "1s",
            "127.0.0.1:" + port + "/x/y:1");

    assertThat(run.status()).isEqualTo(1);
    assertThat(run.err())
        .startsWith("hoist: ")
        .contains("127.0.0.1:" + port)
        .contains("retry budget of 1000 ms");
    assertThat(java.time.Duration.ofNanos(System.nanoTime() - start))
        .isLessThan(java.time.Duration.ofSeconds(20));
  }

  @Test
  void aRegistryThatNeverAnswersFailsAfterTheIdleTimeoutGiven() throws IOException {
    try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      // The kernel completes the connection (backlog); nobody ever reads or answers.
      CliRun run =
          CliRun.of(
              "fetch",
              "--store",
              store.toString(),
              "--progress",
              "none",
              "--retry-for",
              "0s",
              "--idle-timeout",
              "300ms",
              "127.0.0.1:" + silent.getLocalPort() + "/x/y:1");

      assertThat(run.status()).isEqualTo(1);
      assertThat(run.err()).startsWith("hoist: ").contains("within 300 ms");
    }
  }

  @Test
  void registryRequiringCredentialsRefusesAnonymousAndWrongOnesWithoutPrintingTheSecret() {
    String ref = locked.reference("team/app:1.0");

    CliRun anonymous = CliRun.of("fetch", "--store", store.toString(), "--progress", "none", ref);
    CliRun wrong =
        CliRun.of(
            "fetch",
            "--store",
            store.toString(),
            "--progress",
            "none",
            "--user",
            "alice:wr0ng-guess",
            ref);
    CliRun right =
        CliRun.of(
            "fetch",
            "--store",
            store.toString(),
            "--progress",
            "none",
            "--user",
            "alice:s3cr3t-pass",
            ref);

    assertThat(anonymous.status()).isEqualTo(1);
    assertThat(anonymous.err()).startsWith("hoist: ").contains("unauthorized");
    assertThat(wrong.status()).isEqualTo(1);
    assertThat(wrong.err()).doesNotContain("wr0ng-guess");
    assertThat(right.status()).as(right.err()).isZero();
    assertThat(right.out() + right.err()).doesNotContain("s3cr3t-pass");
  }

  @Test
  void demoFetchesAGeneratedImageOffline() throws IOException {
    CliRun run =
        CliRun.of(
            "demo", "--store", store.toString(), "--progress", "plain", "--layer-size", "4096");

    assertThat(run.status()).as(run.err()).isZero();
    assertThat(run.out()).contains("fetched ").contains("layer-sha256:");
    assertThat(LocalContentStore.open(store).list()).hasSize(1);
    assertThat(CliRun.of("content", "verify", "--store", store.toString()).status()).isZero();
  }

  @Test
  void unknownOptionIsAUsageError() {
    CliRun run = CliRun.of("fetch", "--no-such-option", "x");

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).contains("--no-such-option");
  }

  @Test
  void zeroConcurrentDownloadsIsAUsageError() {
    CliRun run =
        CliRun.of("fetch", "--store", store.toString(), "--max-concurrent-downloads", "0", "x/y:1");

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).contains("--max-concurrent-downloads");
  }

  /** Index, plus manifest, config and layers of the platform at {@code platformIndex}. */
  private static Set<Digest> expectedFor(int platformIndex) {
    int layersPer = image.layers().size() / image.manifests().size();
    List<Descriptor> layers =
        image.layers().subList(platformIndex * layersPer, (platformIndex + 1) * layersPer);
    Set<Digest> want = new java.util.HashSet<>();
    want.add(image.root().digest());
    want.add(image.manifests().get(platformIndex).digest());
    want.add(image.configs().get(platformIndex).digest());
    layers.forEach(l -> want.add(l.digest()));
    return want;
  }

  private static Set<Digest> committed(LocalContentStore cs) throws IOException {
    Set<Digest> out = new java.util.HashSet<>();
    cs.walk(i -> true, i -> out.add(i.digest()));
    return out;
  }
}
