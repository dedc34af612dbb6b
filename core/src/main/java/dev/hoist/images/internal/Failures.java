package dev.hoist.images.internal;

import dev.hoist.errors.HoistException;
import dev.hoist.errors.UnavailableException;
import dev.hoist.errors.UnknownException;
import dev.hoist.spec.Descriptor;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CancellationException;

/** Classifies what a handler threw into the {@link HoistException} family, exactly once. */
public final class Failures {

  private Failures() {}

  /**
   * A {@link HoistException}, {@link CancellationException} or {@link Error} as it is; an
   * interrupted read on an interrupted thread as a cancellation; an {@link IOException} from {@code
   * java.net} (a remote that failed) as {@link UnavailableException}; anything else as {@link
   * UnknownException}. Messages name the descriptor.
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
    if (cause instanceof IOException && cause.getClass().getName().startsWith("java.net.")) {
      return new UnavailableException(where + cause.getMessage(), cause);
    }
    return new UnknownException(where + cause, cause);
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
