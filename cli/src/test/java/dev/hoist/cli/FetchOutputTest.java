package dev.hoist.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hoist.cli.progress.Units;
import dev.hoist.spec.Descriptor;
import dev.hoist.testkit.GeneratedImages;
import dev.hoist.testkit.ImageSpec;
import dev.hoist.testkit.TestImage;
import dev.hoist.testkit.TestRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code hoist fetch} prints: the plain log, the summary line, {@code -q} and {@code --format
 * json}.
 */
@Timeout(120)
class FetchOutputTest {

  private static TestRegistry registry;
  private static TestImage image;

  @TempDir Path store;

  @BeforeAll
  static void startRegistry() {
    image =
        GeneratedImages.random(
            ImageSpec.builder()
                .platforms("linux/amd64", "linux/arm64/v8")
                .layers(3, 70_000)
                .seed(11)
                .build());
    registry = TestRegistry.start();
    registry.push("team/app:2.0", image);
  }

  @AfterAll
  static void stopRegistry() {
    registry.close();
  }

  @Test
  void plainModeLogsEachBlobsStartAndEndWithItsSizeAndEndsWithTheSummary() {
    String ref = registry.reference("team/app:2.0");

    CliRun run = fetch("--all-platforms", "--progress", "plain", ref);

    assertThat(run.status()).as(run.err()).isZero();
    List<String> lines = run.out().lines().toList();
    int blobs = image.blobs().size();
    for (Descriptor layer : image.layers()) {
      String key = "layer-" + layer.digest();
      assertThat(lines).contains(key + ": downloading " + Units.bytes(layer.size()));
      assertThat(lines)
          .anySatisfy(
              l -> assertThat(l).startsWith(key + ": done " + Units.bytes(layer.size()) + " in "));
    }
    assertThat(lines.stream().filter(l -> l.contains(": downloading ")).count()).isEqualTo(blobs);
    assertThat(lines.stream().filter(l -> l.contains(": done ")).count()).isEqualTo(blobs);
    assertThat(lines.get(lines.size() - 1))
        .matches(
            "fetched "
                + Pattern.quote(ref + " " + image.root().digest())
                + " [—-] "
                + blobs
                + " blobs: "
                + blobs
                + " downloaded \\(\\d+\\.\\d (KiB|MiB) in \\d+\\.\\d s, [\\d.]+ [KMG]?i?B/s\\)");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void aSecondFetchSaysEveryBlobExistsAndThatItIsAlreadyUpToDate() {
    String ref = registry.reference("team/app:2.0");
    assertThat(fetch("--platform", "linux/amd64", "--progress", "none", ref).status()).isZero();

    CliRun again = fetch("--all-platforms", "--progress", "plain", ref);

    assertThat(again.status()).as(again.err()).isZero();
    String last = again.out().lines().reduce((a, b) -> b).orElseThrow();
    // The index and amd64's manifest, config and 3 layers are present; arm64's 5 blobs are new.
    assertThat(last)
        .contains(image.blobs().size() + " blobs: 5 downloaded (")
        .endsWith(", 6 already present");
    assertThat(again.out()).contains("index-" + image.root().digest() + ": exists ");

    CliRun third = fetch("--all-platforms", "--progress", "none", ref);
    assertThat(third.out())
        .matches(
            "fetched "
                + Pattern.quote(ref + " " + image.root().digest())
                + " [—-] already up to date \\("
                + image.blobs().size()
                + " blobs present\\)\\R");
  }

  @Test
  void jsonFormatIsOneObjectWithFullDigestsAndCounts() throws Exception {
    String ref = registry.reference("team/app:2.0");

    CliRun run = fetch("--all-platforms", "--format", "json", ref);
    CliRun again = fetch("--all-platforms", "--format=json", ref);

    assertThat(run.status()).as(run.err()).isZero();
    assertThat(run.out().lines().count()).as("one line, no progress").isEqualTo(1);
    JsonNode json = new ObjectMapper().readTree(run.out());
    assertThat(json.get("ref").asText()).isEqualTo(ref);
    assertThat(json.get("digest").asText()).isEqualTo(image.root().digest().toString());
    assertThat(json.get("mediaType").asText()).isEqualTo(image.root().mediaType());
    assertThat(json.get("blobs").asInt()).isEqualTo(image.blobs().size());
    assertThat(json.get("downloaded").asInt()).isEqualTo(image.blobs().size());
    assertThat(json.get("present").asInt()).isZero();
    assertThat(json.get("bytes").asLong())
        .isEqualTo(
            image.blobs().keySet().stream().mapToLong(d -> image.blobs().get(d).size()).sum());
    assertThat(json.get("seconds").isNumber()).isTrue();
    assertThat(json.get("upToDate").asBoolean()).isFalse();

    JsonNode second = new ObjectMapper().readTree(again.out());
    assertThat(second.get("upToDate").asBoolean()).isTrue();
    assertThat(second.get("present").asInt()).isEqualTo(image.blobs().size());
    assertThat(second.get("bytes").asLong()).isZero();
  }

  @Test
  void quietPrintsOnlyTheDigest() {
    CliRun run = fetch("-q", "--all-platforms", registry.reference("team/app:2.0"));
    CliRun longForm = fetch("--quiet", "--all-platforms", registry.reference("team/app:2.0"));

    assertThat(run.status()).as(run.err()).isZero();
    assertThat(run.out()).isEqualTo(image.root().digest() + "\n");
    assertThat(longForm.out()).isEqualTo(run.out());
    assertThat(run.err()).isEmpty();
  }

  private CliRun fetch(String... args) {
    String[] all = new String[args.length + 3];
    all[0] = "fetch";
    all[1] = "--store";
    all[2] = store.toString();
    System.arraycopy(args, 0, all, 3, args.length);
    return CliRun.of(all);
  }
}
