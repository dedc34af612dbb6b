package dev.hoist.content.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hoist.errors.FailedPreconditionException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreRootPermissionsTest {

  @TempDir Path dir;

  @Test
  void newStoreRootIsPrivateToItsUser() throws Exception {
    Path root = dir.resolve("a/b/store");

    LocalContentStore.open(root);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root)))
        .isEqualTo("rwx------");
  }

  @Test
  void existingRootKeepsItsMode() throws Exception {
    Path root = Files.createDirectory(dir.resolve("store"));
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-x---"));

    LocalContentStore.open(root);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root)))
        .isEqualTo("rwxr-x---");
  }

  @Test
  void worldWritableRootIsRefusedNamingItAndTheMode() throws Exception {
    Path root = Files.createDirectory(dir.resolve("store"));
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxrwxrwx"));

    assertThatThrownBy(() -> LocalContentStore.open(root))
        .isInstanceOf(FailedPreconditionException.class)
        .hasMessageContaining(root.toString())
        .hasMessageContaining("writable by every user")
        .hasMessageContaining("777");
  }

  @Test
  void rootOwnedByAnotherUserIsRefused() throws Exception {
    Path root = Files.createDirectory(dir.resolve("store"));
    try {
      Files.setAttribute(root, "unix:uid", 54321); // only root may give a directory away
    } catch (java.io.IOException e) {
      assumeTrue(false, "cannot chown as this user (" + e.getMessage() + "): needs root");
    }

    assertThatThrownBy(() -> LocalContentStore.open(root))
        .isInstanceOf(FailedPreconditionException.class)
        .hasMessageContaining(root.toString())
        .hasMessageContaining("owned by uid 54321");
  }
}
