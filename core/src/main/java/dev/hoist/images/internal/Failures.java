package dev.hoist.images.internal;

import dev.hoist.errors.HoistException;
import dev.hoist.errors.UnavailableException;
import dev.hoist.errors.UnknownException;
import dev.hoist.spec.Descriptor;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.HttpRetryException;
import java.net.ProtocolException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.concurrent.CancellationException;
import javax.net.ssl.SSLHandshakeException;

/** Classifies what a handler threw into the {@link HoistException} family, exactly once. */
public final class Failures {

  private Failures() {}

  /**
   * A {@link HoistException}, {@link CancellationException} or {@link Error} as it is; an
   * interrupted read on an interrupted thread as a cancellation; an {@link IOException} of a type
   * that means a remote failed ({@link #isRemoteFailure}) as {@link UnavailableException}; anything
   * else as {@link UnknownException}. Messages name the descriptor.
   *
   * @param t what a handler threw
   * @param desc the descriptor it was handling
   * @return the classified throwable
   */
  public static Throwable classify(Throwable t, Descriptor desc) {
    if (t instanceof Error || t instanceof HoistException || t instanceof CancellationException) {
      return t;
    }
    String where = "handle " + desc.digest() + ": ";
    Throwable cause = t instanceof UncheckedIOException && t.getCause() != null ? t.getCause() : t;
    if (cause instanceof InterruptedIOException && Thread.currentThread().isInterrupted()) {
      CancellationException ce = new CancellationException(where + "interrupted");
      ce.initCause(cause);
      return ce;
    }
    if (isRemoteFailure(cause)) {
      return new UnavailableException(where + cause.getMessage(), cause);
    }
    return new UnknownException(where + cause, cause);
  }

  /**
   * Whether {@code t} says a remote could not be reached or broke off, decided by type (never by
   * class or message text): a socket failure (refused, reset, no route: {@link SocketException}), a
   * timeout ({@link SocketTimeoutException}), a name that does not resolve ({@link
   * UnknownHostException}), a broken protocol exchange ({@link ProtocolException}, {@link
   * HttpRetryException}) or a failed TLS handshake ({@link SSLHandshakeException}). A malformed URL
   * is the caller's input, not a remote's failure. {@code java.net.http}'s own exceptions never
   * reach here: core does not read that module, and remotes-docker translates them where they
   * arise.
   *
   * @param t a throwable
   * @return whether it is a remote's failure
   */
  public static boolean isRemoteFailure(Throwable t) {
    return t instanceof SocketException
        || t instanceof SocketTimeoutException
        || t instanceof UnknownHostException
        || t instanceof ProtocolException
        || t instanceof HttpRetryException
        || t instanceof SSLHandshakeException;
  }

  /** {@code t} thrown as unchecked: {@code t} itself when it is an {@link Error}. */
  public static RuntimeException unchecked(Throwable t) {
    if (t instanceof Error) {
      throw (Error) t;
    }
    if (t instanceof RuntimeException) {
      return (RuntimeException) t;
    }
    return new UnknownException(String.valueOf(t.getMessage()), t);
  }

  /** True when {@code children} is null or holds a null (List.of().contains(null) would throw). */
  public static boolean hasNull(java.util.List<?> children) {
    if (children == null) {
      return true;
    }
    for (Object child : children) {
      if (child == null) {
        return true;
      }
    }
    return false;
  }
}
