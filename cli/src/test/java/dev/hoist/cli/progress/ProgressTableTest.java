package dev.hoist.cli.progress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hoist.digest.Digest;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.MediaTypes;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressTableTest {

  private final Descriptor index = Descriptor.of(MediaTypes.OCI_INDEX, Digest.sha256("i"), 500);
  private final Descriptor layer = Descriptor.of(MediaTypes.OCI_LAYER_GZIP, Digest.sha256("l"), 4096);

  @Test
  void tableShowsEachBlobWithItsStateBarAndBytes() {
    FetchProgress p = new FetchProgress(Clock.fixed(Instant.EPOCH, ZoneOffset.UTC), l -> {});
    p.resolving("docker.io/library/app:1");
    p.resolved("docker.io/library/app:1", index);
    p.downloading(index, 0);
    p.bytesTransferred(index, 500);
    p.done(index);
    p.waiting(layer);
    p.downloading(layer, 0);
    p.bytesTransferred(layer, 1024);

    List<String> lines = ProgressTable.lines(p, 120);

    assertThat(lines).hasSize(4);
    assertThat(lines.get(0)).startsWith("docker.io/library/app:1:").contains("resolved");
    assertThat(lines.get(1)).startsWith("index-sha256:" + index.digest().hex().substring(0, 12)).contains("done")
        .contains("|" + "+".repeat(40) + "|");
    assertThat(lines.get(2)).contains("downloading").contains("|" + "+".repeat(10) + "-".repeat(30) + "|")
        .contains("1.0 KiB/4.0 KiB");
    assertThat(lines.get(3)).startsWith("elapsed: ").contains("total: 1.5 KiB");
  }

  @Test
  void plainModeReportsEachStateChangeOnce() {
    List<String> changes = new ArrayList<>();
    FetchProgress p = new FetchProgress(Clock.systemUTC(), changes::add);

    p.waiting(layer);
    p.downloading(layer, 0);
    p.bytesTransferred(layer, 10);
    p.bytesTransferred(layer, 10);
    p.done(layer);
    p.waiting(layer); // late event: must not move the row back

    assertThat(changes).containsExactly(
        "layer-" + layer.digest() + ": waiting",
        "layer-" + layer.digest() + ": downloading",
        "layer-" + layer.digest() + ": done");
    assertThat(p.rows()).singleElement().satisfies(r -> assertThat(r.state()).isEqualTo(BlobState.DONE));
  }

  @Test
  void resumedDownloadSaysWhereItResumes() {
    List<String> changes = new ArrayList<>();
    FetchProgress p = new FetchProgress(Clock.systemUTC(), changes::add);

    p.downloading(layer, 2048);

    assertThat(changes).containsExactly("layer-" + layer.digest() + ": downloading (resuming at 2048)");
    assertThat(p.rows().get(0).offset()).isEqualTo(2048);
  }

  @Test
  void terminalDisplayRedrawsInPlaceByMovingTheCursorUp() {
    FetchProgress p = new FetchProgress(Clock.systemUTC(), l -> {});
    p.resolving("r");
    p.waiting(layer);
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    TerminalDisplay d = new TerminalDisplay(p, new PrintStream(buf, true, StandardCharsets.UTF_8), 100);

    d.draw();
    d.draw();

    String s = buf.toString(StandardCharsets.UTF_8);
    assertThat(s).contains("\u001b[3A\r"); // second frame moves up over the 3 lines of the first
    assertThat(s.indexOf("\u001b[3A")).isGreaterThan(s.indexOf("waiting"));
  }

  @Test
  void unitsAreBinary() {
    assertThat(Units.bytes(0)).isEqualTo("0 B");
    assertThat(Units.bytes(1536)).isEqualTo("1.5 KiB");
    assertThat(Units.bytes(3L << 30)).isEqualTo("3.0 GiB");
  }
}
