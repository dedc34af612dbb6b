package dev.hoist.unpack.internal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.hoist.errors.UnknownException;
import dev.hoist.snapshots.Kind;
import dev.hoist.snapshots.SnapshotInfo;
import dev.hoist.spec.OciJson;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;

/**
 * A snapshot's metadata file ({@code info.json}, and {@code commit.json} once committed), written
 * and fsynced before the rename that publishes it.
 *
 * @param name key or committed name
 * @param parent nullable
 * @param kind ACTIVE, VIEW or COMMITTED
 * @param labels labels
 * @param created ISO instant
 * @param updated ISO instant
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SnapshotMeta(
    @JsonProperty("name") String name,
    @JsonProperty("parent") String parent,
    @JsonProperty("kind") String kind,
    @JsonProperty("labels") Map<String, String> labels,
    @JsonProperty("created") String created,
    @JsonProperty("updated") String updated) {

  /**
   * The metadata of {@code info}.
   *
   * @param info the snapshot info
   * @return its metadata
   */
  public static SnapshotMeta of(SnapshotInfo info) {
    return new SnapshotMeta(
        info.name(), info.parent(), info.kind().name(), info.labels(),
        String.valueOf(info.created()), String.valueOf(info.updated()));
  }

  /**
   * As a {@link SnapshotInfo}.
   *
   * @return the info
   */
  public SnapshotInfo info() {
    return new SnapshotInfo(name, parent, Kind.valueOf(kind), labels, instant(created), instant(updated));
  }

  private static Instant instant(String s) {
    return s == null || "null".equals(s) ? null : Instant.parse(s);
  }

  /**
   * Writes {@code meta} to {@code file} and fsyncs it.
   *
   * @param file the target file
   * @param meta the metadata
   * @throws IOException when writing fails
   */
  public static void write(Path file, SnapshotMeta meta) throws IOException {
    byte[] json = OciJson.write(meta);
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap(json));
      ch.force(true);
    }
  }

  /**
   * Reads the metadata in {@code file}.
   *
   * @param file the file
   * @return the metadata
   * @throws IOException when reading fails
   */
  public static SnapshotMeta read(Path file) throws IOException {
    byte[] json = Files.readAllBytes(file);
    try {
      return OciJson.mapper().readValue(json, SnapshotMeta.class);
    } catch (IOException e) {
      throw new UnknownException("snapshot metadata " + file + " is damaged: " + e.getMessage(), e);
    }
  }
}
