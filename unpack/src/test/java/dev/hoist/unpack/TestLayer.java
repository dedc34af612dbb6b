package dev.hoist.unpack;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Builds layer tars in tests with Commons Compress's writer (PAX for long names and big numbers).
 */
final class TestLayer {

  static final Instant T0 = Instant.parse("2021-03-04T05:06:07Z");

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final TarArchiveOutputStream tar;

  TestLayer() {
    this(TarArchiveOutputStream.LONGFILE_POSIX);
  }

  TestLayer(int longFileMode) {
    tar = new TarArchiveOutputStream(bytes, StandardCharsets.UTF_8.name());
    tar.setLongFileMode(longFileMode);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    tar.setAddPaxHeadersForNonAsciiNames(true);
  }

  static TarArchiveEntry entry(String name, byte type) {
    TarArchiveEntry e = new TarArchiveEntry(name, type);
    e.setModTime(FileTime.from(T0));
    e.setUserId(0);
    e.setGroupId(0);
    return e;
  }

  TestLayer file(String name, String content) {
    return file(name, content, 0644);
  }

  TestLayer file(String name, String content, int mode) {
    TarArchiveEntry e = entry(name, TarConstants.LF_NORMAL);
    e.setMode(mode);
    return file(e, content.getBytes(StandardCharsets.UTF_8));
  }

  TestLayer file(TarArchiveEntry e, byte[] content) {
    e.setSize(content.length);
    return put(e, content);
  }

  TestLayer dir(String name) {
    return dir(name, 0755);
  }

  TestLayer dir(String name, int mode) {
    TarArchiveEntry e = entry(name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR);
    e.setMode(mode);
    return put(e, null);
  }

  TestLayer symlink(String name, String target) {
    TarArchiveEntry e = entry(name, TarConstants.LF_SYMLINK);
    e.setLinkName(target);
    e.setMode(0777);
    return put(e, null);
  }

  TestLayer hardlink(String name, String target) {
    TarArchiveEntry e = entry(name, TarConstants.LF_LINK);
    e.setLinkName(target);
    e.setMode(0644);
    return put(e, null);
  }

  TestLayer hardlink(String name, String target, int mode, long mtimeMillis) {
    TarArchiveEntry e = entry(name, TarConstants.LF_LINK);
    e.setLinkName(target);
    e.setMode(mode);
    e.setModTime(mtimeMillis);
    return put(e, null);
  }

  TestLayer fifo(String name) {
    TarArchiveEntry e = entry(name, TarConstants.LF_FIFO);
    e.setMode(0600);
    return put(e, null);
  }

  TestLayer charDevice(String name, int major, int minor) {
    TarArchiveEntry e = entry(name, TarConstants.LF_CHR);
    e.setMode(0666);
    e.setDevMajor(major);
    e.setDevMinor(minor);
    return put(e, null);
  }

  TestLayer whiteout(String name) {
    return file(name, "", 0644);
  }

  TestLayer withPax(String name, String content, Map<String, String> pax) {
    TarArchiveEntry e = entry(name, TarConstants.LF_NORMAL);
    e.setMode(0644);
    pax.forEach(e::addPaxHeader);
    return file(e, content.getBytes(StandardCharsets.UTF_8));
  }

  TestLayer put(TarArchiveEntry e, byte[] content) {
    try {
      tar.putArchiveEntry(e);
      if (content != null) {
        tar.write(content);
      }
      tar.closeArchiveEntry();
      return this;
    } catch (IOException x) {
      throw new UncheckedIOException(x);
    }
  }

  /** Finishes the archive (end marker and block padding) and returns its bytes. */
  byte[] tar() {
    try {
      tar.finish();
      tar.close();
      return bytes.toByteArray();
    } catch (IOException x) {
      throw new UncheckedIOException(x);
    }
  }

  static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    } catch (IOException x) {
      throw new UncheckedIOException(x);
    }
    return out.toByteArray();
  }
}
