package dev.hoist.unpack.internal.tar;

import dev.hoist.errors.InvalidArgumentException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.tar.TarUtils;

/**
 * Commons Compress's tar reader, with a bound on metadata entries. PAX headers and GNU long
 * names/links are read whole into memory by the reader, so a header claiming gigabytes would
 * exhaust the heap long before {@code maxUncompressedBytes} is reached; this reader refuses any
 * such header larger than {@value #MAX_METADATA_BYTES} bytes before its body is read. Names are
 * decoded as UTF-8 (PAX's encoding, and what image builders write).
 */
public final class GuardedTarInputStream extends TarArchiveInputStream {

  /** The largest PAX header or GNU long name accepted: 1 MiB (Linux's PATH_MAX is 4 KiB). */
  static final long MAX_METADATA_BYTES = 1 << 20;

  /**
   * @param in the uncompressed tar stream
   */
  public GuardedTarInputStream(InputStream in) {
    super(
        in,
        TarConstants.DEFAULT_BLKSIZE,
        TarConstants.DEFAULT_RCDSIZE,
        StandardCharsets.UTF_8.name(),
        false);
  }

  @Override
  protected byte[] readRecord() throws IOException {
    byte[] record = super.readRecord();
    if (record != null && record.length >= 512 && !isEOFRecord(record)) {
      byte type = record[TarConstants.LF_OFFSET];
      if (type == TarConstants.LF_PAX_EXTENDED_HEADER_LC
          || type == TarConstants.LF_PAX_EXTENDED_HEADER_UC
          || type == TarConstants.LF_PAX_GLOBAL_EXTENDED_HEADER
          || type == TarConstants.LF_GNUTYPE_LONGNAME
          || type == TarConstants.LF_GNUTYPE_LONGLINK) {
        long size;
        try {
          size =
              TarUtils.parseOctalOrBinary(
                  record,
                  TarConstants.NAMELEN
                      + TarConstants.MODELEN
                      + TarConstants.UIDLEN
                      + TarConstants.GIDLEN,
                  TarConstants.SIZELEN);
        } catch (IllegalArgumentException e) {
          throw new InvalidArgumentException("layer: malformed tar header size", e);
        }
        if (size > MAX_METADATA_BYTES) {
          throw new InvalidArgumentException(
              "layer: tar metadata entry of "
                  + size
                  + " bytes exceeds the limit of "
                  + MAX_METADATA_BYTES);
        }
      }
    }
    return record;
  }
}
