package dev.hoist.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hoist.cli.HoistCli;
import dev.hoist.content.local.LocalContentStore;
import dev.hoist.digest.Digest;
import dev.hoist.platforms.Platforms;
import dev.hoist.remotes.docker.testing.DistributionRegistry;
import dev.hoist.remotes.docker.testing.RegistryPusher;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.Index;
import dev.hoist.spec.MediaTypes;
import dev.hoist.spec.OciJson;
import dev.hoist.testing.TestImages;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code hoist fetch} stores, and what images ls/check, gc and verify say about it, against
 * Docker's distribution registry: the same cases as side by side with {@code ctr content fetch} in
 * issue 13.
 */
@Timeout(180)
class FetchSemanticsRegistryIT {

  @RegisterExtension
  static final DistributionRegistry registry = DistributionRegistry.builder().build();

  static final List<String> SIX =
      List.of(
          "linux/amd64",
          "linux/386",
          "linux/arm64/v8",
          "linux/arm/v7",
          "linux/ppc64le",
          "linux/s390x");
  static final TestImages MULTI =
      TestImages.builder().platforms(SIX.toArray(String[]::new)).sharedLayer().seed("six").build();
  // Two platforms of MULTI, blob for blob, under another index: the images share layers.
  static final TestImages PAIR =
      TestImages.builder()
          .platforms("linux/amd64", "linux/arm64/v8")
          .sharedLayer()
          .seed("six")
          .build();
  static Descriptor nested;

  @TempDir Path dir;

  @BeforeAll
  static void push() {
    RegistryPusher pusher = RegistryPusher.to(registry);
    pusher.push("it/multi", "1", MULTI);
    pusher.push("it/pair", "1", PAIR);
    // An index whose only entry is MULTI's index (no platform): fetched by default, it holds
    // the host's manifest two levels down.
    pusher.push("it/nested", "inner", MULTI);
    byte[] top =
        OciJson.write(
            new Index(2, MediaTypes.OCI_INDEX, null, List.of(MULTI.root()), null, Map.of()));
    pusher.pushManifest("it/nested", "1", MediaTypes.OCI_INDEX, top);
    nested = TestImages.descriptor(MediaTypes.OCI_INDEX, top);
  }

  record Run(int status, String out, String err) {}

  static Run hoist(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = HoistCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(status, out.toString(), err.toString());
  }

  String store() {
    return dir.resolve("store").toString();
  }

  Run fetch(String repoTag, String... options) {
    String[] args = new String[options.length + 6];
    args[0] = "fetch";
    args[1] = "--store";
    args[2] = store();
    args[3] = "--progress";
    args[4] = "none";
    System.arraycopy(options, 0, args, 5, options.length);
    args[args.length - 1] = registry.hostPort() + "/" + repoTag;
    Run r = hoist(args);
    return r;
  }

  Set<Digest> stored() throws IOException {
    Set<Digest> out = new HashSet<>();
    LocalContentStore.openExisting(Path.of(store())).walk(i -> true, i -> out.add(i.digest()));
    return out;
  }

  /** The one of the six platforms this machine is, matched exactly (as ctr's default). */
  static String host() {
    String found =
        SIX.stream()
            .filter(p -> Platforms.defaultStrict().match(Platforms.parse(p)))
            .findFirst()
            .orElse(null);
    Assumptions.assumeTrue(found != null, "this machine's platform is not one of " + SIX);
    return found;
  }

  @Test
  void aSixPlatformIndexFetchedByDefaultStoresExactlyTheHostPlatformsBlobs() throws IOException {
    Run r = fetch("it/multi:1");

    assertThat(r.status()).as(r.err()).isZero();
    Set<Digest> want = new HashSet<>(MULTI.digestsOf(host()));
    want.add(MULTI.root().digest());
    assertThat(stored())
        .isEqualTo(want); // ctr: 4 blobs (index, manifest, config, layers...); not 386 too
  }

  @Test
  void metadataOnlyStoresTheIndexEveryManifestAndEveryConfig() throws IOException {
    Run r = fetch("it/multi:1", "--metadata-only");

    assertThat(r.status()).as(r.err()).isZero();
    Set<Digest> want = new HashSet<>();
    want.add(MULTI.root().digest());
    SIX.forEach(p -> want.addAll(MULTI.metadataOf(p)));
    assertThat(stored()).hasSize(13).isEqualTo(want);
  }

  @Test
  void aPlatformNoManifestOffersFailsNamingTheOfferedPlatformsAndRecordsNoImage()
      throws IOException {
    Run r = fetch("it/multi:1", "--platform", "windows/amd64");

    assertThat(r.status()).isEqualTo(1);
    assertThat(r.err().lines())
        .singleElement()
        .asString()
        .contains("windows/amd64")
        .contains(
            "linux/amd64, linux/386, linux/arm64/v8, linux/arm/v7, linux/ppc64le, linux/s390x");
    assertThat(hoist("images", "ls", "-q", "--store", store()).out()).isEmpty();
  }

  @Test
  void imagesLsAndCheckOnAPartialMultiPlatformImageAndANestedIndex() throws Exception {
    assertThat(fetch("it/multi:1", "--platform", "linux/s390x").status()).isZero();
    assertThat(fetch("it/nested:1").status()).isZero();

    Run ls = hoist("images", "ls", "--store", store(), "--format", "json");
    Run table = hoist("images", "ls", "--store", store());
    Run check = hoist("images", "check", "--store", store(), "--format", "json");

    assertThat(ls.status()).as(ls.err()).isZero();
    assertThat(table.out())
        .contains(registry.hostPort() + "/it/nested:1")
        .contains("linux/ppc64le");
    JsonNode images = new ObjectMapper().readTree(ls.out()).get("images");
    assertThat(images).hasSize(2);
    for (JsonNode image : images) {
      assertThat(image.get("problem").isNull()).as(image.toString()).isTrue();
      assertThat(image.get("platforms")).hasSize(6);
    }
    JsonNode multi = images.get(0);
    JsonNode nestedRow = images.get(1);
    assertThat(nestedRow.get("digest").asText()).isEqualTo(nested.digest().toString());
    assertThat(nestedRow.get("size").asLong()).isPositive(); // the host's manifest, two levels down
    assertThat(multi.get("name").asText()).endsWith("/it/multi:1");
    // Both point at content of the same graph; the host's layers came with the nested fetch.
    JsonNode checks = new ObjectMapper().readTree(check.out()).get("images");
    assertThat(checks.get(0).get("status").asText()).isEqualTo("complete");
    assertThat(checks.get(1).get("status").asText()).isEqualTo("complete");
    assertThat(check.status()).as(check.out()).isZero();
    assertThat(hoist("images", "check", "--store", store(), "--platform", "linux/arm/v7").status())
        .isEqualTo(1);
  }

  @Test
  void gcAfterRemovingOneOfTwoImagesSharingLayersKeepsTheSharedLayers() throws IOException {
    assertThat(fetch("it/multi:1", "--all-platforms").status()).isZero();
    assertThat(fetch("it/pair:1", "--all-platforms").status()).isZero();

    assertThat(
            hoist("images", "rm", "--store", store(), registry.hostPort() + "/it/multi:1").status())
        .isZero();
    Run gc = hoist("gc", "--store", store());

    assertThat(gc.status()).as(gc.err()).isZero();
    assertThat(stored()).isEqualTo(PAIR.blobs().keySet());
    assertThat(stored()).contains(PAIR.layers("linux/amd64").get(0).digest());
    assertThat(hoist("content", "verify", "--store", store()).status()).isZero();
  }

  @Test
  void verifyRepairThenFetchRestoresADamagedBlob() throws IOException {
    assertThat(fetch("it/multi:1").status()).isZero();
    Descriptor layer = MULTI.layers(host()).get(1);
    Path blob = dir.resolve("store/blobs/sha256").resolve(layer.digest().encoded());
    blob.toFile().setWritable(true);
    Files.write(blob, "not the layer".getBytes(java.nio.charset.StandardCharsets.UTF_8));

    Run repair = hoist("content", "verify", "--repair", "--store", store());
    assertThat(repair.status()).isEqualTo(1);
    assertThat(repair.err()).contains("damaged " + layer.digest()).contains("/it/multi:1");
    assertThat(Files.exists(blob)).isFalse();
    Run again = fetch("it/multi:1");

    assertThat(again.status()).as(again.err()).isZero();
    assertThat(Files.readAllBytes(blob)).isEqualTo(MULTI.blob(layer.digest()));
    assertThat(hoist("content", "verify", "--store", store()).status()).isZero();
  }
}
