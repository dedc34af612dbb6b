package dev.hoist.testkit.internal;

import dev.hoist.digest.Digest;
import dev.hoist.testkit.Blob;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A committed blob in the registry's directory. */
final class FileBlob implements Blob {

  private final Path path;
  private final Digest digest;
  private final long size;

  FileBlob(Path path, Digest digest, long size) {
    this.path = path;
    this.digest = digest;
    this.size = size;
  }

  @Override
  public Digest digest() {
    return digest;
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public InputStream open(long offset) throws IOException {
    if (offset < 0 || offset > size) {
      throw new IllegalArgumentException("offset " + offset + " outside [0, " + size + "]");
    }
    FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
    ch.position(offset);
    return Channels.newInputStream(ch);
  }

  @Override
  public String toString() {
    return "file blob " + digest + " (" + size + " bytes)";
  }
}
