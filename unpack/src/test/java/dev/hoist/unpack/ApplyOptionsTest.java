package dev.hoist.unpack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.digest.Digest;
import dev.hoist.unpack.internal.tar.ProcessIdentity;
import org.junit.jupiter.api.Test;

class ApplyOptionsTest {

  @Test
  void defaultsAreGenerousBoundsNotStrictAndOwnersWhenRoot() {
    ApplyOptions o = ApplyOptions.defaults();

    assertThat(o.maxUncompressedBytes()).isEqualTo(64L << 30);
    assertThat(o.maxEntries()).isEqualTo(10_000_000L);
    assertThat(o.strict()).isFalse();
    assertThat(o.preserveOwnership()).isEqualTo(ProcessIdentity.current().isRoot());
    assertThat(o.expectedDiffId()).isEmpty();
  }

  @Test
  void toBuilderDerivesAVariantWithAnotherDiffId() {
    Digest a = Digest.sha256("a");
    Digest b = Digest.sha256("b");
    ApplyOptions base = ApplyOptions.builder().maxEntries(5).strict(true).expectedDiffId(a).build();

    ApplyOptions next = base.toBuilder().build();

    assertThat(next.maxEntries()).isEqualTo(5);
    assertThat(next.strict()).isTrue();
    assertThat(next.expectedDiffId()).contains(a);
    assertThat(ApplyOptions.builder().expectedDiffId(b).build().expectedDiffId()).contains(b);
  }

  @Test
  void nonPositiveLimitsAndOptionsSetTwiceAreProgrammerErrors() {
    assertThatThrownBy(() -> ApplyOptions.builder().maxUncompressedBytes(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ApplyOptions.builder().maxEntries(-1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ApplyOptions.builder().strict(true).strict(false))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("strict");
  }

  @Test
  void processIdentityIsTheEffectiveUidAndGidAsIdReportsThem() throws Exception {
    assertThat(ProcessIdentity.current().uid()).isEqualTo(Integer.parseInt(run("id", "-u")));
    assertThat(ProcessIdentity.current().gid()).isEqualTo(Integer.parseInt(run("id", "-g")));
  }

  private static String run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).start();
    String out =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
            .trim();
    assertThat(p.waitFor()).isZero();
    return out;
  }

  @Test
  void skipCountsSumAndSummarise() {
    SkipCounts s = new SkipCounts(2, 1, 0, 3, 0).plus(new SkipCounts(0, 1, 1, 0, 0));

    assertThat(s).isEqualTo(new SkipCounts(2, 2, 1, 3, 0));
    assertThat(s.total()).isEqualTo(8);
    assertThat(s.summary()).isEqualTo("skipped: 2 owners, 2 device nodes, 1 fifo, 3 xattrs");
    assertThat(SkipCounts.NONE.summary()).isEqualTo("nothing skipped");
    assertThatThrownBy(() -> new SkipCounts(-1, 0, 0, 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
