package dev.hoist.testkit.internal;

import dev.hoist.digest.Digest;
import dev.hoist.testkit.Blob;
import java.io.ByteArrayInputStream;
import java.io.InputStream;

/** A blob held in the heap: manifests, configs, small uploads. */
public final class BytesBlob implements Blob {

  private final byte[] data;
  private final Digest digest;

  public BytesBlob(byte[] data) {
    this.data = data.clone();
    this.digest = Digest.sha256(this.data);
  }

  /** Takes ownership of {@code data} whose digest the caller already computed. */
  BytesBlob(byte[] data, Digest digest) {
    this.data = data;
    this.digest = digest;
  }

  @Override
  public Digest digest() {
    return digest;
  }

  @Override
  public long size() {
    return data.length;
  }

  @Override
  public InputStream open(long offset) {
    if (offset < 0 || offset > data.length) {
      throw new IllegalArgumentException("offset " + offset + " outside [0, " + data.length + "]");
    }
    return new ByteArrayInputStream(data, (int) offset, data.length - (int) offset);
  }

  @Override
  public byte[] bytes() {
    return data.clone();
  }

  @Override
  public String toString() {
    return "blob " + digest + " (" + data.length + " bytes)";
  }
}
