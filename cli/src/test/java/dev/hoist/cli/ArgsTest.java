package dev.hoist.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ArgsTest {

  private static final List<Args.Option> OPTIONS =
      List.of(
          Args.Option.flag("--all", "a flag"),
          Args.Option.value("--store", "DIR", "a value"),
          Args.Option.values("--label", "KEY=VALUE", "repeatable"));

  @Test
  void optionsMayComeBeforeBetweenOrAfterOperandsInEitherSpelling() throws Exception {
    Args a =
        Args.parse(
            List.of("--label", "a=1", "ref", "--store=/x=y", "--all", "--label=b=2"), OPTIONS);

    assertThat(a.single("REF")).isEqualTo("ref");
    assertThat(a.value("--store", null)).isEqualTo("/x=y");
    assertThat(a.has("--all")).isTrue();
    assertThat(a.values("--label")).containsExactly("a=1", "b=2");
  }

  @Test
  void aValueMayStartWithADashAndDoubleDashEndsTheOptions() throws Exception {
    Args a = Args.parse(List.of("--store", "-odd", "--", "--all"), OPTIONS);

    assertThat(a.value("--store", null)).isEqualTo("-odd");
    assertThat(a.has("--all")).isFalse();
    assertThat(a.single("REF")).isEqualTo("--all");
  }

  @Test
  void absentOptionsFallBack() throws Exception {
    Args a = Args.parse(List.of(), OPTIONS);

    assertThat(a.value("--store", "dflt")).isEqualTo("dflt");
    assertThat(a.values("--label")).isEmpty();
    assertThat(a.number("--store", 8)).isEqualTo(8);
    assertThatThrownBy(() -> a.single("REF"))
        .isInstanceOf(Args.UsageException.class)
        .hasMessage("missing REF");
  }

  @Test
  void aLoneDashIsAnOperand() throws Exception {
    assertThat(Args.parse(List.of("-"), OPTIONS).single("REF")).isEqualTo("-");
  }

  @Test
  void unknownOptionsAreRefusedByName() {
    assertThatThrownBy(() -> Args.parse(List.of("--stor", "x"), OPTIONS))
        .isInstanceOf(Args.UsageException.class)
        .hasMessage("unknown option '--stor'");
    assertThatThrownBy(() -> Args.parse(List.of("--bogus=1"), OPTIONS))
        .hasMessage("unknown option '--bogus'");
  }
}
