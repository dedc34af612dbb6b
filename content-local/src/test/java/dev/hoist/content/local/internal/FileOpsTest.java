package dev.hoist.content.local.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileOpsTest {

  @TempDir Path dir;

  @Test
  void writeAtomicallyReplacesTheTargetAndLeavesNoTemporary() throws IOException {
    Path target = dir.resolve("index.json");
    Files.writeString(target, "old");

    FileOps.writeAtomically(target, "new".getBytes());
    FileOps.writeAtomically(target, "newer".getBytes(), false);

    assertThat(target).hasContent("newer");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactly(target);
    }
  }

  @Test
  void temporaryNamesAreSixteenHexDigitsAndDoNotRepeat() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      String id = FileOps.tmpId();
      assertThat(id).matches("[0-9a-f]{16}");
      assertThat(seen.add(id)).as("repeated %s", id).isTrue();
    }
  }
}
