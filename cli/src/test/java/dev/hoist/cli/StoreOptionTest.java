package dev.hoist.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where the store is when {@code --store} is not given: the XDG base directory rules. */
class StoreOptionTest {

  @Test
  void storeOptionWinsOverEveryVariable() throws Exception {
    assertThat(
            resolve(
                List.of("--store", "/s"),
                Map.of("HOIST_STORE", "/h", "XDG_DATA_HOME", "/x", "HOME", "/home/u")))
        .isEqualTo(Path.of("/s"));
  }

  @Test
  void hoistStoreWinsOverXdgAndHome() throws Exception {
    assertThat(
            resolve(
                List.of(), Map.of("HOIST_STORE", "/h", "XDG_DATA_HOME", "/x", "HOME", "/home/u")))
        .isEqualTo(Path.of("/h"));
  }

  @Test
  void xdgDataHomeWhenAbsoluteElseHomeLocalShare() throws Exception {
    assertThat(resolve(List.of(), Map.of("XDG_DATA_HOME", "/x", "HOME", "/home/u")))
        .isEqualTo(Path.of("/x/hoist"));
    assertThat(resolve(List.of(), Map.of("XDG_DATA_HOME", "relative", "HOME", "/home/u")))
        .isEqualTo(Path.of("/home/u/.local/share/hoist"));
    assertThat(resolve(List.of(), Map.of("HOME", "/home/u")))
        .isEqualTo(Path.of("/home/u/.local/share/hoist"));
  }

  @Test
  void javaUserHomeOnlyWhenHomeIsUnset() throws Exception {
    assertThat(resolve(List.of(), Map.of())).isEqualTo(Path.of("/java/home/.local/share/hoist"));
  }

  private static Path resolve(List<String> args, Map<String, String> env) throws Exception {
    return StoreOption.resolve(Args.parse(args, List.of(StoreOption.STORE)), env, "/java/home");
  }
}
