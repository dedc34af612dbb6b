package dev.hoist.cli.progress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hoist.digest.Digest;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.MediaTypes;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The live table: header, rows, and fitting any terminal's width and height. */
class ProgressTableTest {

  private static final String LONG_REF =
      "registry.example.com:5000/some-team/some-very-long-repository-name/app:1.2.3-alpine";

  private final MutableClock clock = new MutableClock();
  private final Descriptor index = Descriptor.of(MediaTypes.OCI_INDEX, Digest.sha256("i"), 500);
  private final Descriptor layer =
      Descriptor.of(MediaTypes.OCI_LAYER_GZIP, Digest.sha256("l"), 4096);

  @Test
  void headerShowsBytesDoneOfBytesExpectedRateAndEta() {
    FetchProgress p = new FetchProgress(clock, null);
    p.resolving("docker.io/library/app:1");
    p.resolved("docker.io/library/app:1", index);
    p.downloading(index, 0);
    p.bytesTransferred(index, 500);
    p.done(index);
    p.waiting(layer);
    p.downloading(layer, 0);
    ProgressTable.lines(p, new TerminalSize(120, 40), Glyphs.ASCII); // the rate's first sample
    clock.advance(Duration.ofSeconds(1));
    p.bytesTransferred(layer, 1024);

    List<String> lines = ProgressTable.lines(p, new TerminalSize(120, 40), Glyphs.ASCII);

    assertThat(lines).hasSize(3);
    // 1024 B/s since the first sample, 3072 B to go.
    assertThat(lines.get(0))
        .isEqualTo("docker.io/library/app:1  1.5 KiB / 4.5 KiB  1.0 KiB/s  ETA 3s");
    assertThat(lines.get(1))
        .startsWith("index-sha256:" + index.digest().hex().substring(0, 12) + ":")
        .contains("done")
        .contains("|" + "+".repeat(40) + "|")
        .endsWith("500 B");
    assertThat(lines.get(2))
        .contains("downloading")
        .contains("|" + "+".repeat(10) + "-".repeat(30) + "|")
        .endsWith("1.0 KiB/4.0 KiB");
  }

  @Test
  void aPulledLayersRowShowsUnpackingWhileItIsAppliedThenUnpacked() {
    FetchProgress p = new FetchProgress(clock, null);
    p.resolving("docker.io/library/app:1");
    p.resolved("docker.io/library/app:1", index);
    p.exists(index);
    p.downloading(layer, 0);
    p.bytesTransferred(layer, 4096);
    p.done(layer);
    assertThat(ProgressTable.lines(p, TerminalSize.DEFAULT, Glyphs.ASCII).get(2))
        .contains(" done ");

    p.unpacking(layer);
    List<String> applying = ProgressTable.lines(p, TerminalSize.DEFAULT, Glyphs.ASCII);

    assertThat(applying.get(2)).contains(" unpacking ").doesNotContain(" done ");
    assertThat(applying.get(0)).as("still busy: no elapsed yet").doesNotContain("elapsed");
    assertThat(applying.get(1)).as("the index is no layer").contains(" exists ");

    p.unpacked(layer, Digest.sha256("chain"), false);
    List<String> finished = ProgressTable.lines(p, TerminalSize.DEFAULT, Glyphs.ASCII);

    assertThat(finished.get(2)).contains(" unpacked ").endsWith("4.0 KiB");
    assertThat(finished.get(0)).contains("elapsed");
  }

  @Test
  void headerSaysResolvingFirstAndElapsedWhenEverythingIsFinished() {
    FetchProgress p = new FetchProgress(clock, null);
    p.resolving("docker.io/library/app:1");
    assertThat(ProgressTable.lines(p, TerminalSize.DEFAULT, Glyphs.ASCII))
        .containsExactly("docker.io/library/app:1  resolving");

    p.resolved("docker.io/library/app:1", index);
    p.exists(index);
    clock.advance(Duration.ofMillis(1200));

    assertThat(ProgressTable.lines(p, TerminalSize.DEFAULT, Glyphs.ASCII).get(0))
        .isEqualTo("docker.io/library/app:1  500 B / 500 B  0 B/s  elapsed 1.2 s");
  }

  @ParameterizedTest(name = "{0}x{1}")
  @CsvSource({"80, 24", "160, 40", "60, 10"})
  void noLineIsWiderThanTheTerminalWhateverTheRowsHold(int columns, int rows) {
    FetchProgress p = fetchWithManyBlobs(5, LONG_REF);

    List<String> lines = ProgressTable.lines(p, new TerminalSize(columns, rows), Glyphs.UNICODE);

    assertThat(lines)
        .isNotEmpty()
        .allSatisfy(l -> assertThat(l.codePointCount(0, l.length())).isLessThanOrEqualTo(columns));
    assertThat(lines.get(0)).as("the reference keeps its tag").contains("app:1.2.3-alpine");
    assertThat(lines)
        .anySatisfy(l -> assertThat(l).contains("downloading").contains("1.0 GiB/2.0 GiB"));
  }

  @ParameterizedTest(name = "{0}x{1}")
  @CsvSource({"80, 24", "160, 40"})
  void moreBlobsThanRowsShowsTheActiveOnesAndCountsTheRestWithinTheHeight(int columns, int rows) {
    FetchProgress p = fetchWithManyBlobs(60, "docker.io/library/big:1");

    List<String> lines = ProgressTable.lines(p, new TerminalSize(columns, rows), Glyphs.UNICODE);

    assertThat(lines).hasSize(rows - 1);
    assertThat(lines)
        .allSatisfy(l -> assertThat(l.codePointCount(0, l.length())).isLessThanOrEqualTo(columns));
    // 60 layers: 20 done, 2 downloading, 38 waiting, plus the index; every downloading row is
    // shown.
    assertThat(lines.stream().filter(l -> l.contains(" downloading ")).count()).isEqualTo(2);
    int shownWaiting = (int) lines.stream().filter(l -> l.contains(" waiting ")).count();
    int shownDone = (int) lines.stream().filter(l -> l.contains(" done ")).count();
    assertThat(lines.get(lines.size() - 1))
        .isEqualTo("+ " + (21 - shownDone) + " done, " + (38 - shownWaiting) + " waiting");
  }

  @Test
  void everyRowFitsWhenTheTerminalIsTall() {
    FetchProgress p = fetchWithManyBlobs(10, "docker.io/library/app:1");

    List<String> lines = ProgressTable.lines(p, new TerminalSize(160, 40), Glyphs.ASCII);

    assertThat(lines).hasSize(1 + 11).noneMatch(l -> l.startsWith("+ "));
  }

  @Test
  void unicodeBarsMoveInEighthsOfACell() {
    assertThat(Glyphs.UNICODE.bar(0, 80, 10)).isEqualTo("|          |");
    assertThat(Glyphs.UNICODE.bar(1, 80, 10)).isEqualTo("|▏         |");
    assertThat(Glyphs.UNICODE.bar(12, 80, 10)).isEqualTo("|█▌        |");
    assertThat(Glyphs.UNICODE.bar(80, 80, 10)).isEqualTo("|██████████|");
    assertThat(Glyphs.ASCII.bar(40, 80, 10)).isEqualTo("|+++++-----|");
    assertThat(Glyphs.ASCII.bar(5, 0, 4)).isEqualTo("|----|");
  }

  @Test
  void terminalDisplayRedrawsInPlaceAndClearsWhatTheLastFrameLeftBelow() {
    FetchProgress p = new FetchProgress(clock, null);
    p.resolving("r");
    p.resolved("r", index);
    p.waiting(index);
    p.waiting(layer);
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    TerminalDisplay d =
        new TerminalDisplay(
            p,
            new PrintStream(buf, true, StandardCharsets.UTF_8),
            () -> new TerminalSize(100, 30),
            Glyphs.UNICODE);

    d.draw();
    d.draw();

    String s = buf.toString(StandardCharsets.UTF_8);
    assertThat(s)
        .contains("\u001b[3A\r"); // the second frame moves up over the 3 lines of the first
    assertThat(s.indexOf("\u001b[3A")).isGreaterThan(s.indexOf("waiting"));
    assertThat(s).endsWith("\n\u001b[J");
    assertThat(s.lines())
        .allSatisfy(
            l -> assertThat(l.replaceAll("\u001b\\[[0-9]*[A-Za-z]", "").length()).isLessThan(100));
  }

  @Test
  void unitsAreBinaryAndEtasCompact() {
    assertThat(Units.bytes(0)).isEqualTo("0 B");
    assertThat(Units.bytes(1536)).isEqualTo("1.5 KiB");
    assertThat(Units.bytes(3L << 30)).isEqualTo("3.0 GiB");
    assertThat(Units.eta(7)).isEqualTo("7s");
    assertThat(Units.eta(185)).isEqualTo("3m05s");
    assertThat(Units.eta(7800)).isEqualTo("2h10m");
    assertThat(Units.rate(3L << 20, Duration.ofSeconds(2))).isEqualTo("1.5 MiB/s");
  }

  /**
   * An index and {@code layers} 2 GiB layers: a third done, two downloading (half-way), the rest
   * waiting.
   */
  private FetchProgress fetchWithManyBlobs(int layers, String ref) {
    FetchProgress p = new FetchProgress(clock, null);
    p.resolving(ref);
    p.resolved(ref, index);
    p.downloading(index, 0);
    p.done(index);
    List<Descriptor> all = new ArrayList<>();
    for (int i = 0; i < layers; i++) {
      Descriptor d =
          Descriptor.of(MediaTypes.OCI_LAYER_GZIP, Digest.sha256("layer " + i), 2L << 30);
      all.add(d);
      p.waiting(d);
    }
    int done = layers / 3;
    for (int i = 0; i < done; i++) {
      p.downloading(all.get(i), 0);
      p.done(all.get(i));
    }
    for (int i = done; i < Math.min(layers, done + 2); i++) {
      p.downloading(all.get(i), 0);
      p.bytesTransferred(all.get(i), 1L << 30);
    }
    return p;
  }
}
