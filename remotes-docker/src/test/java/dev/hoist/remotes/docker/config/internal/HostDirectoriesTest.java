package dev.hoist.remotes.docker.config.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostDirectoriesTest {

  @TempDir Path root;

  @Test
  void triesUnderscoredPortThenHostPortThenDefaultOnUnix() {
    assertThat(HostDirectories.candidates("myregistry.io:5000", false))
        .containsExactly("myregistry.io_5000_", "myregistry.io:5000", "_default");
    assertThat(HostDirectories.candidates("docker.io", false))
        .containsExactly("docker.io", "_default");
  }

  @Test
  void stripsColonsOnWindows() {
    assertThat(HostDirectories.candidates("myregistry.io:5000", true))
        .containsExactly("myregistry.io_5000_", "myregistry.io5000", "_default");
  }

  @Test
  void rewritesOnlyTheLastColonOfAnIpv6Literal() {
    assertThat(HostDirectories.candidates("[::1]:5000", false).get(0)).isEqualTo("[::1]_5000_");
  }

  @Test
  void neverLeavesTheRootForNamesThatAreNotHosts() {
    assertThat(HostDirectories.candidates("../etc", false)).containsExactly("_default");
    assertThat(HostDirectories.candidates("a/b", false)).containsExactly("_default");
  }

  @Test
  void firstExistingDirectoryWins() throws IOException {
    Files.createDirectories(root.resolve("_default"));
    Files.createDirectories(root.resolve("reg.example:5000"));
    var lookup = HostDirectories.fromRoot(root);

    assertThat(lookup.apply("reg.example:5000")).contains(root.resolve("reg.example:5000"));

    Files.createDirectories(root.resolve("reg.example_5000_"));
    assertThat(lookup.apply("reg.example:5000")).contains(root.resolve("reg.example_5000_"));
    assertThat(lookup.apply("other.example")).contains(root.resolve("_default"));
  }

  @Test
  void noDirectoryAtAllIsEmpty() throws IOException {
    Files.writeString(root.resolve("docker.io"), "a file, not a directory");

    assertThat(HostDirectories.fromRoot(root).apply("docker.io")).isEmpty();
  }
}
