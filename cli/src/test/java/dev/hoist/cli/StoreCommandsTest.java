package dev.hoist.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hoist.content.local.LocalContentStore;
import dev.hoist.digest.Digest;
import dev.hoist.platforms.Platforms;
import dev.hoist.spec.Descriptor;
import dev.hoist.testkit.Blob;
import dev.hoist.testkit.GeneratedImages;
import dev.hoist.testkit.ImageSpec;
import dev.hoist.testkit.TestImage;
import dev.hoist.testkit.TestRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** images ls/check/rm, content ls/rm/verify and gc against a store the CLI fetched into. */
@Timeout(120)
class StoreCommandsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static TestRegistry registry;
  private static TestImage image;

  @TempDir Path dir;

  @BeforeAll
  static void start() {
    image =
        GeneratedImages.random(
            ImageSpec.builder()
                .platforms("linux/amd64", "linux/arm64/v8")
                .layers(2, 2048)
                .seed(13)
                .build());
    registry = TestRegistry.start();
    registry.push("team/app:1.0", image);
    registry.push("team/app:copy", image);
  }

  @AfterAll
  static void stop() {
    registry.close();
  }

  private String store() {
    return dir.resolve("store").toString();
  }

  private CliRun fetch(String tag, String... options) {
    String[] args = new String[options.length + 6];
    args[0] = "fetch";
    args[1] = "--store";
    args[2] = store();
    args[3] = "--progress";
    args[4] = "none";
    System.arraycopy(options, 0, args, 5, options.length);
    args[args.length - 1] = registry.reference("team/app:" + tag);
    CliRun run = CliRun.of(args);
    return run;
  }

  private Set<Digest> stored() throws IOException {
    Set<Digest> out = new HashSet<>();
    LocalContentStore.open(Path.of(store())).walk(i -> true, i -> out.add(i.digest()));
    return out;
  }

  @Test
  void
      imagesLsListsAPartialMultiPlatformImageWithItsPlatformsAndNoHostSizeWhenTheHostWasNotFetched() {
    String other =
        Platforms.defaultMatcher().match(Platforms.parse("linux/arm64/v8"))
            ? "linux/amd64"
            : "linux/arm64/v8";
    assertThat(fetch("1.0", "--platform", other).status()).isZero();

    CliRun ls = CliRun.of("images", "ls", "--store", store());

    assertThat(ls.status()).as(ls.err()).isZero();
    assertThat(ls.out()).contains("linux/amd64,linux/arm64/v8").contains("index");
    assertThat(ls.out().lines().skip(1).findFirst().orElseThrow()).contains(" - ");
  }

  @Test
  void imagesLsKeepsListingWhenAnImagesRootIsGoneAndSaysWhyAndExitsOne() throws IOException {
    assertThat(fetch("1.0", "--platform", "linux/amd64").status()).isZero();
    assertThat(fetch("copy", "--platform", "linux/amd64").status()).isZero();
    assertThat(
            CliRun.of("content", "rm", "--store", store(), image.root().digest().toString())
                .status())
        .isZero();

    CliRun ls = CliRun.of("images", "ls", "--store", store());
    CliRun json = CliRun.of("images", "ls", "--store", store(), "--format", "json");

    assertThat(ls.status()).isEqualTo(1);
    assertThat(ls.out().lines())
        .hasSize(3)
        .allMatch(
            l -> l.startsWith("REF") || l.contains("broken: content " + image.root().digest()));
    assertThat(ls.err()).contains("hoist: image " + registry.reference("team/app:1.0"));
    assertThat(json.status()).isEqualTo(1);
    JsonNode doc = JSON.readTree(json.out());
    assertThat(doc.get("images")).hasSize(2);
    assertThat(doc.get("images").get(0).get("problem").asText()).contains("missing");
    assertThat(doc.get("images").get(0).get("digest").asText())
        .isEqualTo(image.root().digest().toString());
  }

  @Test
  void imagesLsQuietFullDigestsJsonAndLabels() throws IOException {
    assertThat(fetch("1.0", "--platform", "linux/amd64", "--label", "team=core").status()).isZero();

    CliRun quiet = CliRun.of("images", "ls", "-q", "--store", store());
    CliRun full = CliRun.of("images", "ls", "--no-trunc", "--store", store());
    CliRun json = CliRun.of("images", "ls", "--format", "json", "--store", store());

    assertThat(quiet.out()).isEqualTo(registry.reference("team/app:1.0") + System.lineSeparator());
    assertThat(full.out()).contains(image.root().digest().toString()).contains("team=core");
    JsonNode first = JSON.readTree(json.out()).get("images").get(0);
    assertThat(first.get("name").asText()).isEqualTo(registry.reference("team/app:1.0"));
    assertThat(first.get("labels").get("team").asText()).isEqualTo("core");
    assertThat(first.get("platforms")).hasSize(2);
    assertThat(first.get("size").isNull()).isFalse();
    assertThat(first.get("problem").isNull()).isTrue();
    assertThat(
            JSON.readTree(CliRun.of("content", "ls", "--format", "json", "--store", store()).out())
                .get("blobs"))
        .hasSize(stored().size());
    assertThat(CliRun.of("content", "ls", "-q", "--store", store()).out().lines())
        .hasSize(stored().size());
  }

  @Test
  void imagesCheckSaysCompleteThenNamesTheMissingLayer() throws IOException {
    assertThat(fetch("1.0", "--platform", "linux/amd64").status()).isZero();
    CliRun ok = CliRun.of("images", "check", "--store", store(), "--platform", "linux/amd64");
    assertThat(ok.status()).as(ok.out() + ok.err()).isZero();
    assertThat(ok.out()).contains("complete (3/3)");

    Descriptor layer = image.layers().get(1);
    assertThat(CliRun.of("content", "rm", "--store", store(), layer.digest().toString()).status())
        .isZero();
    CliRun bad =
        CliRun.of(
            "images",
            "check",
            "--store",
            store(),
            "--platform",
            "linux/amd64",
            registry.reference("team/app:1.0"));
    JsonNode json =
        JSON.readTree(
            CliRun.of(
                    "images",
                    "check",
                    "--format",
                    "json",
                    "--store",
                    store(),
                    "--platform",
                    "linux/amd64")
                .out());

    assertThat(bad.status()).isEqualTo(1);
    assertThat(bad.out()).contains("incomplete (2/3)").contains("missing " + layer.digest());
    assertThat(json.get("images").get(0).get("status").asText()).isEqualTo("incomplete");
    assertThat(json.get("images").get(0).get("missing").get(0).get("digest").asText())
        .isEqualTo(layer.digest().toString());
  }

  @Test
  void imagesRmThenGcRemovesWhatOnlyTheRemovedImageNeededAndKeepsTheSharedLayers()
      throws IOException {
    // A second image whose root is the first one's amd64 manifest: it shares config and layers.
    Descriptor m0 = image.manifests().get(0);
    Set<Digest> amd64 = new HashSet<>();
    amd64.add(m0.digest());
    amd64.add(image.configs().get(0).digest());
    image.layers().subList(0, 2).forEach(l -> amd64.add(l.digest()));
    Map<Digest, Blob> blobs = new HashMap<>(image.blobs());
    blobs.keySet().retainAll(amd64);
    registry.push(
        "team/single:1",
        new TestImage(
            m0.withPlatform(null),
            null,
            List.of(m0),
            List.of(image.configs().get(0)),
            image.layers().subList(0, 2),
            blobs));
    assertThat(fetch("1.0", "--all-platforms").status()).isZero();
    assertThat(
            CliRun.of(
                    "fetch",
                    "--store",
                    store(),
                    "--progress",
                    "none",
                    registry.reference("team/single:1"))
                .status())
        .isZero();
    Set<Digest> all = stored();

    assertThat(
            CliRun.of("images", "rm", "--store", store(), registry.reference("team/app:1.0"))
                .status())
        .isZero();
    CliRun dry = CliRun.of("gc", "--dry-run", "--store", store());
    assertThat(stored()).isEqualTo(all);
    CliRun gc = CliRun.of("gc", "--store", store());

    assertThat(gc.status()).as(gc.err()).isZero();
    assertThat(stored()).isEqualTo(amd64);
    assertThat(dry.out()).contains("would remove " + (all.size() - amd64.size()) + " blobs");
    assertThat(gc.out()).contains("removed " + (all.size() - amd64.size()) + " blobs");
    assertThat(CliRun.of("content", "verify", "--store", store()).status()).isZero();
    assertThat(
            CliRun.of("images", "check", "--store", store(), "--platform", "linux/amd64").status())
        .isZero();
  }

  @Test
  void verifyRepairRemovesADamagedLayerAndTheNextFetchRestoresIt() throws IOException {
    assertThat(fetch("1.0", "--platform", "linux/amd64").status()).isZero();
    Descriptor layer = image.layers().get(0);
    Path blob = dir.resolve("store/blobs/sha256").resolve(layer.digest().encoded());
    blob.toFile().setWritable(true);
    Files.write(blob, new byte[] {42});

    CliRun verify = CliRun.of("content", "verify", "--repair", "--store", store());
    assertThat(verify.status()).isEqualTo(1);
    assertThat(verify.err())
        .contains("damaged " + layer.digest())
        .contains(registry.reference("team/app:1.0"));
    assertThat(verify.out()).contains("removed damaged " + layer.digest());
    assertThat(fetch("1.0", "--platform", "linux/amd64").status()).isZero();

    assertThat(CliRun.of("content", "verify", "--store", store()).status()).isZero();
    assertThat(Files.size(blob)).isEqualTo(layer.size());
  }

  @Test
  void readOnlyCommandsOnAPathThatIsNotAStoreFailWithOneLineAndCreateNothing() {
    Path typo = dir.resolve("typo");
    for (String[] cmd :
        new String[][] {
          {"images", "ls"},
          {"images", "check"},
          {"content", "ls"},
          {"content", "verify"},
          {"gc"},
          {"images", "rm", "x"}
        }) {
      String[] args = java.util.Arrays.copyOf(cmd, cmd.length + 2);
      args[cmd.length] = "--store";
      args[cmd.length + 1] = typo.toString();
      CliRun run = CliRun.of(args);
      assertThat(run.status()).as(String.join(" ", cmd)).isEqualTo(1);
      assertThat(run.err().lines())
          .as(String.join(" ", cmd))
          .singleElement()
          .asString()
          .startsWith("hoist: no content store at " + typo);
    }
    assertThat(typo).doesNotExist();
  }

  @Test
  void aPlatformTheIndexDoesNotOfferFailsNamingTheOfferedOnesAndRecordsNothing() {
    CliRun run = fetch("1.0", "--platform", "windows/amd64");

    assertThat(run.status()).isEqualTo(1);
    assertThat(run.err()).contains("windows/amd64").contains("linux/amd64, linux/arm64/v8");
    assertThat(CliRun.of("images", "ls", "-q", "--store", store()).out()).isEmpty();
  }

  @Test
  void metadataOnlyCombinesWithAllPlatformsAndStoresEveryManifestAndConfig() throws IOException {
    assertThat(fetch("1.0", "--metadata-only", "--all-platforms").status()).isZero();

    Set<Digest> want = new HashSet<>();
    want.add(image.root().digest());
    image.manifests().forEach(m -> want.add(m.digest()));
    image.configs().forEach(c -> want.add(c.digest()));
    assertThat(stored()).isEqualTo(want);
  }
}
