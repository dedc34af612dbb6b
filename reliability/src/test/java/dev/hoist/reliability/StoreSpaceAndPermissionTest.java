package dev.hoist.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hoist.content.local.LocalContentStore;
import dev.hoist.errors.FailedPreconditionException;
import dev.hoist.testkit.GeneratedImages;
import dev.hoist.testkit.ImageSpec;
import dev.hoist.testkit.TestImage;
import dev.hoist.testkit.TestRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store on a read-only or full file system fails the fetch with a typed error whose message names
 * the path and the reason in words. CI runs as root, which ignores permission bits, so the file
 * systems are real: a small tmpfs, remounted read-only or too small for the image. Where {@code
 * mount} is not permitted (not root, no CAP_SYS_ADMIN) the tests are skipped with that reason.
 */
@Timeout(60)
class StoreSpaceAndPermissionTest {

  @TempDir Path dir;

  private final List<Path> mounts = new ArrayList<>();

  @AfterEach
  void unmount() throws Exception {
    for (Path m : mounts) {
      if (run("umount", m.toString()) != 0) {
        run("umount", "-l", m.toString()); // lazily, so that no test leaves a mount behind
      }
    }
  }

  @Test
  void storeOnAReadOnlyFileSystemFailsNamingTheStoreAndTheReason() throws Exception {
    Path mnt = tmpfs("ro", "1m");
    Path storeDir = mnt.resolve("store");
    LocalContentStore store = LocalContentStore.open(storeDir);
    assumeTrue(
        run("mount", "-o", "remount,ro", mnt.toString()) == 0, "cannot remount tmpfs read-only");
    try (TestRegistry registry = TestRegistry.start()) {
      registry.push(
          "team/app:1",
          GeneratedImages.random(ImageSpec.builder().layers(1, 1024).seed(61).build()));

      assertThatThrownBy(
              () ->
                  Fetches.fetch(
                      store,
                      registry.reference("team/app:1"),
                      Fetches.resolver(new RecordingSleeper()).build()))
          .isInstanceOf(FailedPreconditionException.class)
          // The first file a fetch opens for writing: the collection lock or the ingest directory.
          .hasMessageStartingWith("read-only file system: " + storeDir + "/");
    }
  }

  @Test
  void fullFileSystemFailsNamingAStoreFileAndNoSpace() throws Exception {
    Path mnt = tmpfs("full", "1m");
    Path storeDir = mnt.resolve("store");
    LocalContentStore store = LocalContentStore.open(storeDir);
    TestImage image =
        GeneratedImages.random(ImageSpec.builder().layers(1, 3 << 20).seed(62).build());
    try (TestRegistry registry = TestRegistry.start()) {
      registry.push("team/app:1", image);

      assertThatThrownBy(
              () ->
                  Fetches.fetch(
                      store,
                      registry.reference("team/app:1"),
                      Fetches.resolver(new RecordingSleeper()).build()))
          .isInstanceOf(FailedPreconditionException.class)
          // Which file hits the full disk first (the layer's data, or a small blob's files beside
          // it) depends on the concurrent downloads; every one of them is inside the store.
          .hasMessageStartingWith("no space left on device while writing " + storeDir);
      assertThat(Fetches.has(store, image.layers().get(0).digest())).isFalse();
    }
  }

  @Test
  void immutableIngestDirectoryFailsNamingItAndTheReason() throws Exception {
    Path storeDir = dir.resolve("store");
    LocalContentStore store = LocalContentStore.open(storeDir);
    Path ingest = storeDir.resolve("ingest");
    // chattr +i stops root too; ext4 and tmpfs support it, some overlay file systems do not.
    assumeTrue(
        run("chattr", "+i", ingest.toString()) == 0,
        "chattr +i is not supported or not permitted here");
    try (TestRegistry registry = TestRegistry.start()) {
      registry.push(
          "team/app:1",
          GeneratedImages.random(ImageSpec.builder().layers(1, 1024).seed(63).build()));

      assertThatThrownBy(
              () ->
                  Fetches.fetch(
                      store,
                      registry.reference("team/app:1"),
                      Fetches.resolver(new RecordingSleeper()).build()))
          .isInstanceOf(FailedPreconditionException.class)
          .hasMessage("operation not permitted: " + ingest);
    } finally {
      run("chattr", "-i", ingest.toString());
    }
  }

  @Test
  void storeDirectoryWithoutWritePermissionFailsWithPermissionDenied() throws Exception {
    Path storeDir = dir.resolve("store");
    LocalContentStore store = LocalContentStore.open(storeDir);
    Path ingest = storeDir.resolve("ingest");
    assumeTrue(
        !"root".equals(System.getProperty("user.name")),
        "root ignores permission bits; the read-only and immutable cases cover root");
    Files.setPosixFilePermissions(
        ingest, java.nio.file.attribute.PosixFilePermissions.fromString("r-xr-xr-x"));
    try (TestRegistry registry = TestRegistry.start()) {
      registry.push(
          "team/app:1",
          GeneratedImages.random(ImageSpec.builder().layers(1, 1024).seed(64).build()));

      assertThatThrownBy(
              () ->
                  Fetches.fetch(
                      store,
                      registry.reference("team/app:1"),
                      Fetches.resolver(new RecordingSleeper()).build()))
          .isInstanceOf(FailedPreconditionException.class)
          .hasMessage("permission denied: " + ingest);
    } finally {
      Files.setPosixFilePermissions(
          ingest, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  /**
   * Mounts a tmpfs of {@code size} on a new directory, or skips the test when that is not
   * permitted.
   */
  private Path tmpfs(String name, String size) throws Exception {
    Path mnt = Files.createDirectory(dir.resolve(name));
    int rc =
        run("mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=0700", "tmpfs", mnt.toString());
    assumeTrue(rc == 0, "mount -t tmpfs is not permitted here (needs root): exit " + rc);
    mounts.add(mnt);
    return mnt;
  }

  private static int run(String... cmd) throws IOException, InterruptedException {
    Process p;
    try {
      p =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
    } catch (IOException e) {
      return -1; // no such program
    }
    if (!p.waitFor(20, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      return -1;
    }
    return p.exitValue();
  }
}
