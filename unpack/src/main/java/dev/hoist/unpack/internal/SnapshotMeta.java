package dev.hoist.unpack.internal;

import dev.hoist.errors.UnknownException;
import dev.hoist.snapshots.Kind;
import dev.hoist.snapshots.SnapshotInfo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * A snapshot's metadata file ({@code info.properties}, and {@code commit.properties} once
 * committed), a Java properties file (escaped, so any key or label is safe), written and fsynced
 * before the rename that publishes it.
 */
public final class SnapshotMeta {

  private static final String LABEL = "label.";

  private SnapshotMeta() {}

  /**
   * Writes {@code info} to {@code file} and fsyncs it.
   *
   * @param file the target file
   * @param info the metadata
   * @throws IOException when writing fails
   */
  public static void write(Path file, SnapshotInfo info) throws IOException {
    Properties p = new Properties();
    p.setProperty("name", info.name());
    if (info.parent() != null) {
      p.setProperty("parent", info.parent());
    }
    p.setProperty("kind", info.kind().name());
    if (info.created() != null) {
      p.setProperty("created", info.created().toString());
    }
    if (info.updated() != null) {
      p.setProperty("updated", info.updated().toString());
    }
    for (Map.Entry<String, String> e : info.labels().entrySet()) {
      p.setProperty(LABEL + e.getKey(), e.getValue());
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    p.store(bytes, null);
    try (FileChannel ch =
        FileChannel.open(
            file,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(bytes.toByteArray()));
      ch.force(true);
    }
  }

  /**
   * Reads the metadata in {@code file}.
   *
   * @param file the file
   * @return the metadata
   * @throws IOException when reading fails ({@link java.nio.file.NoSuchFileException} when absent)
   * @throws UnknownException when the file is damaged
   */
  public static SnapshotInfo read(Path file) throws IOException {
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      p.load(in);
    }
    try {
      Map<String, String> labels = new TreeMap<>();
      for (String key : p.stringPropertyNames()) {
        if (key.startsWith(LABEL)) {
          labels.put(key.substring(LABEL.length()), p.getProperty(key));
        }
      }
      return new SnapshotInfo(
          p.getProperty("name"),
          p.getProperty("parent"),
          Kind.valueOf(p.getProperty("kind")),
          labels,
          instant(p.getProperty("created")),
          instant(p.getProperty("updated")));
    } catch (RuntimeException e) {
      throw new UnknownException("snapshot metadata " + file + " is damaged: " + e.getMessage(), e);
    }
  }

  private static Instant instant(String s) {
    try {
      return s == null ? null : Instant.parse(s);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
