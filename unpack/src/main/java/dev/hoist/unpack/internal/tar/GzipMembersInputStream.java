package dev.hoist.unpack.internal.tar;

import dev.hoist.errors.InvalidArgumentException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A gzip decoder over the JDK's {@link Inflater} that reads every member of a multi-member file
 * (RFC 1952 §2.2), as Go's {@code gzip.Reader} does for containerd. {@code GZIPInputStream} is not
 * used: on JDK 17 it decides whether another member follows from {@code available()}, which a
 * network stream may answer 0 at a member boundary, silently truncating the layer (JDK-7036144).
 * Each member's CRC-32 and length are checked; bytes after the last member that are not another
 * gzip header are an error, as in Go. Not thread-safe.
 */
final class GzipMembersInputStream extends InputStream {

  private static final int FHCRC = 0x02;
  private static final int FEXTRA = 0x04;
  private static final int FNAME = 0x08;
  private static final int FCOMMENT = 0x10;
  private static final int RESERVED = 0xe0;

  private final InputStream in;
  private final byte[] buf;
  private int pos;
  private int lim;
  private final Inflater inflater = new Inflater(true);
  private final CRC32 crc = new CRC32();
  private long memberBytes;
  private boolean inMember;
  private boolean eof;
  private boolean everStarted;
  private final byte[] one = new byte[1];

  GzipMembersInputStream(InputStream in, int bufferSize) {
    this.in = in;
    this.buf = new byte[bufferSize];
  }

  @Override
  public int read() throws IOException {
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    while (!eof) {
      if (!inMember) {
        if (!startMember()) {
          eof = true;
          break;
        }
      }
      int n = inflate(b, off, len);
      if (n > 0) {
        crc.update(b, off, n);
        memberBytes += n;
        return n;
      }
      if (inflater.finished()) {
        endMember();
      } else if (inflater.needsDictionary()) {
        throw corrupt("deflate stream asks for a preset dictionary");
      } else if (inflater.needsInput()) {
        if (!fill()) {
          throw corrupt("unexpected end of gzip data");
        }
        inflater.setInput(buf, pos, lim - pos);
        pos = lim;
      }
    }
    return -1;
  }

  private int inflate(byte[] b, int off, int len) throws IOException {
    try {
      return inflater.inflate(b, off, len);
    } catch (DataFormatException e) {
      throw corrupt(e.getMessage());
    }
  }

  /** Reads the next member's header; false at a clean end of input after at least one member. */
  private boolean startMember() throws IOException {
    boolean first = !everStarted;
    if (pos == lim && !fill()) {
      if (first) {
        throw corrupt("empty gzip stream");
      }
      return false;
    }
    int id1 = readByte();
    int id2 = readByte();
    if (id1 != 0x1f || id2 != 0x8b) {
      throw corrupt(
          first ? "not a gzip header" : "data after the last gzip member is not a gzip header");
    }
    if (readByte() != 8) {
      throw corrupt("unsupported gzip compression method");
    }
    int flags = readByte();
    if ((flags & RESERVED) != 0) {
      throw corrupt("reserved gzip header flags set");
    }
    for (int i = 0; i < 6; i++) { // MTIME, XFL, OS
      readByte();
    }
    if ((flags & FEXTRA) != 0) {
      int xlen = readByte() | (readByte() << 8);
      for (int i = 0; i < xlen; i++) {
        readByte();
      }
    }
    if ((flags & FNAME) != 0) {
      while (readByte() != 0) {
        // skip the zero-terminated file name
      }
    }
    if ((flags & FCOMMENT) != 0) {
      while (readByte() != 0) {
        // skip the zero-terminated comment
      }
    }
    if ((flags & FHCRC) != 0) {
      readByte();
      readByte();
    }
    inflater.reset();
    crc.reset();
    memberBytes = 0;
    inMember = true;
    everStarted = true;
    if (pos < lim) {
      inflater.setInput(buf, pos, lim - pos);
      pos = lim;
    }
    return true;
  }

  private void endMember() throws IOException {
    // The inflater holds the unconsumed tail of buf: give it back before reading the trailer.
    pos = lim - inflater.getRemaining();
    long wantCrc = readLe32();
    long wantSize = readLe32();
    if (wantCrc != crc.getValue()) {
      throw corrupt("gzip member CRC-32 mismatch");
    }
    if (wantSize != (memberBytes & 0xffffffffL)) {
      throw corrupt("gzip member length mismatch");
    }
    inMember = false;
  }

  private long readLe32() throws IOException {
    return (readByte() | (readByte() << 8) | (readByte() << 16) | ((long) readByte() << 24))
        & 0xffffffffL;
  }

  private int readByte() throws IOException {
    if (pos == lim && !fill()) {
      throw corrupt("truncated gzip stream");
    }
    return buf[pos++] & 0xff;
  }

  /** Refills buf from the source; false at end of input. */
  private boolean fill() throws IOException {
    int n;
    do {
      n = in.read(buf, 0, buf.length);
    } while (n == 0);
    if (n < 0) {
      pos = lim = 0;
      return false;
    }
    pos = 0;
    lim = n;
    return true;
  }

  private static InvalidArgumentException corrupt(String why) {
    return new InvalidArgumentException("layer: corrupt gzip stream: " + why);
  }

  @Override
  public void close() throws IOException {
    inflater.end();
    in.close();
  }
}
