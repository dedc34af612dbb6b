package dev.hoist.unpack;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;

/** Crafts raw tar records that writers refuse to produce (hostile PAX values, huge headers). */
final class PaxRecords {

  private PaxRecords() {}

  /** Returns one PAX body: {@code "<len> key=value\n"} records, the length counting itself. */
  static byte[] body(Map<String, String> records) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    records.forEach(
        (k, v) -> {
          byte[] kv = (" " + k + "=" + v + "\n").getBytes(UTF_8);
          int len = kv.length + 1;
          while (Integer.toString(len).length() + kv.length != len) {
            len++;
          }
          out.writeBytes(Integer.toString(len).getBytes(UTF_8));
          out.writeBytes(kv);
        });
    return out.toByteArray();
  }

  /** Returns a 512-byte header of {@code type} claiming {@code size} bytes. */
  static byte[] header(String name, byte type, long size) {
    TarArchiveEntry e = new TarArchiveEntry(name, type);
    e.setSize(size);
    byte[] rec = new byte[512];
    e.writeEntryHeader(rec);
    return rec;
  }

  /** Overwrites the ustar size field of the header at {@code offset} and fixes its checksum. */
  static void patchSize(byte[] tar, int offset, long size) {
    byte[] octal = String.format("%011o", size).getBytes(UTF_8);
    System.arraycopy(octal, 0, tar, offset + 124, 11);
    tar[offset + 135] = 0;
    java.util.Arrays.fill(tar, offset + 148, offset + 156, (byte) ' ');
    long sum = 0;
    for (int i = 0; i < 512; i++) {
      sum += tar[offset + i] & 0xff;
    }
    byte[] chk = String.format("%06o", sum).getBytes(UTF_8);
    System.arraycopy(chk, 0, tar, offset + 148, 6);
    tar[offset + 154] = 0;
    tar[offset + 155] = ' ';
  }

  /** Inserts a PAX extended header holding {@code records} at {@code offset} of {@code tar}. */
  static byte[] prependPax(byte[] tar, Map<String, String> records, int offset) {
    byte[] body = body(records);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tar, 0, offset);
    out.writeBytes(header("PaxHeaders/x", TarConstants.LF_PAX_EXTENDED_HEADER_LC, body.length));
    out.writeBytes(body);
    out.writeBytes(new byte[(512 - body.length % 512) % 512]);
    out.write(tar, offset, tar.length - offset);
    return out.toByteArray();
  }
}
