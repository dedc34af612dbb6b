package dev.hoist.unpack.internal.tar;

import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/** Conversions between Unix mode bits and the JDK's permission sets, cached for all 512 modes. */
final class Modes {

  private static final PosixFilePermission[] BITS = {
    PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
        PosixFilePermission.OTHERS_READ,
    PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
        PosixFilePermission.GROUP_READ,
    PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
        PosixFilePermission.OWNER_READ,
  };

  private static final FileAttribute<?>[] ATTRIBUTES = new FileAttribute<?>[512];

  static {
    for (int m = 0; m < 512; m++) {
      ATTRIBUTES[m] = PosixFilePermissions.asFileAttribute(toSet(m));
    }
  }

  private Modes() {}

  /** The permission attribute for the low nine bits of {@code mode}. */
  static FileAttribute<?> attribute(int mode) {
    return ATTRIBUTES[mode & 0777];
  }

  static Set<PosixFilePermission> toSet(int mode) {
    Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
    for (int i = 0; i < 9; i++) {
      if ((mode & (1 << i)) != 0) {
        s.add(BITS[i]);
      }
    }
    return s;
  }

  static int toInt(Set<PosixFilePermission> perms) {
    int m = 0;
    for (int i = 0; i < 9; i++) {
      if (perms.contains(BITS[i])) {
        m |= 1 << i;
      }
    }
    return m;
  }
}
