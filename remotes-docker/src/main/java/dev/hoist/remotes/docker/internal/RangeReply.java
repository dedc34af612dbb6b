package dev.hoist.remotes.docker.internal;

import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.errors.UnavailableException;
import dev.hoist.errors.internal.ServerText;
import java.io.IOException;
import java.io.InputStream;

/**
 * Checks the reply to a {@code Range: bytes=N-} request, as containerd's {@code withOffsetCheck}: a
 * 206 must carry a {@code Content-Range} starting at {@code N} (when it carries one at all); a 200
 * (the server ignored the range) has its first {@code N} bytes discarded; anything else is refused.
 * ("Accept-Ranges: bytes cannot be trusted", containerd notes, so the reply is checked.)
 */
public final class RangeReply {

  private RangeReply() {}

  /** The body positioned at {@code offset}; closes the reply when it is refused. */
  public static InputStream positioned(Reply reply, long offset, String what) throws IOException {
    if (offset == 0) {
      if (reply.status() == 200 || reply.status() == 203) {
        return reply.body();
      }
      if (reply.status() == 206 && startsAt(reply, 0)) {
        return reply.body();
      }
      reply.close();
      throw new InvalidArgumentException(
          what
              + ": "
              + RegistryErrors.redact(reply.uri())
              + " answered status "
              + reply.status()
              + " to a request without a range");
    }
    if (reply.status() == 206) {
      if (reply.header("Content-Range").isPresent() && !startsAt(reply, offset)) {
        String got = reply.header("Content-Range").orElse("");
        reply.close();
        throw new InvalidArgumentException(
            what
                + ": "
                + RegistryErrors.redact(reply.uri())
                + " answered Range bytes="
                + offset
                + "- with Content-Range \""
                + shorten(got)
                + "\"");
      }
      return reply.body();
    }
    if (reply.status() == 200) {
      InputStream in = reply.body();
      try {
        skipFully(in, offset);
      } catch (IOException e) {
        reply.close();
        throw new UnavailableException(
            what
                + ": "
                + RegistryErrors.redact(reply.uri())
                + " ignored the range and failed while "
                + offset
                + " bytes were skipped: "
                + e,
            e);
      }
      return in;
    }
    reply.close();
    throw new InvalidArgumentException(
        what
            + ": "
            + RegistryErrors.redact(reply.uri())
            + " answered status "
            + reply.status()
            + " to Range bytes="
            + offset
            + "-");
  }

  private static boolean startsAt(Reply reply, long offset) {
    String cr = reply.header("Content-Range").orElse("").trim();
    return cr.startsWith("bytes " + offset + "-");
  }

  private static void skipFully(InputStream in, long n) throws IOException {
    byte[] scratch = new byte[64 * 1024];
    long left = n;
    while (left > 0) {
      int r = in.read(scratch, 0, (int) Math.min(scratch.length, left));
      if (r < 0) {
        throw new IOException("end of body after " + (n - left) + " of " + n + " bytes");
      }
      left -= r;
    }
  }

  private static String shorten(String s) {
    return ServerText.clean(s, 100);
  }
}
