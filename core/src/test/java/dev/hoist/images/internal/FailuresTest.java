package dev.hoist.images.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hoist.digest.Digest;
import dev.hoist.errors.NotFoundException;
import dev.hoist.errors.UnavailableException;
import dev.hoist.errors.UnknownException;
import dev.hoist.spec.Descriptor;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.HttpRetryException;
import java.net.MalformedURLException;
import java.net.NoRouteToHostException;
import java.net.ProtocolException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.CancellationException;
import java.util.stream.Stream;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What a handler's exception becomes: decided by its type, never its class name or message. */
class FailuresTest {

  private static final Descriptor DESC =
      Descriptor.of("application/x-test", Digest.sha256("layer"), 5);

  /** A java.net-looking name on a type that is not one of the remote failures. */
  private static final class NotARemoteFailure extends IOException {
    NotARemoteFailure() {
      super("java.net.SocketException: Connection reset");
    }
  }

  static Stream<Arguments> table() {
    return Stream.of(
        Arguments.of(new ConnectException("refused"), UnavailableException.class),
        Arguments.of(new NoRouteToHostException("no route"), UnavailableException.class),
        Arguments.of(new SocketException("reset"), UnavailableException.class),
        Arguments.of(new BindException("bind"), UnavailableException.class),
        Arguments.of(new SocketTimeoutException("timed out"), UnavailableException.class),
        Arguments.of(new UnknownHostException("nx.example"), UnavailableException.class),
        Arguments.of(new ProtocolException("bad"), UnavailableException.class),
        Arguments.of(new HttpRetryException("retry", 503), UnavailableException.class),
        Arguments.of(new SSLHandshakeException("handshake"), UnavailableException.class),
        Arguments.of(
            new UncheckedIOException(new ConnectException("refused")), UnavailableException.class),
        Arguments.of(new MalformedURLException("bad url"), UnknownException.class),
        Arguments.of(new EOFException("eof"), UnknownException.class),
        Arguments.of(new NoSuchFileException("/x"), UnknownException.class),
        Arguments.of(new NotARemoteFailure(), UnknownException.class),
        Arguments.of(new IllegalStateException("bug"), UnknownException.class));
  }

  @ParameterizedTest
  @MethodSource("table")
  void classifiesByType(Throwable thrown, Class<? extends Throwable> expected) {
    Throwable classified = Failures.classify(thrown, DESC);

    assertThat(classified).isInstanceOf(expected);
    assertThat(classified.getMessage()).contains(DESC.digest().toString());
    Throwable cause =
        thrown instanceof UncheckedIOException u && u.getCause() != null ? u.getCause() : thrown;
    assertThat(classified.getCause()).isSameAs(cause);
  }

  @Test
  void hoistExceptionsCancellationsAndErrorsPassAsTheyAre() {
    NotFoundException notFound = new NotFoundException("gone");
    CancellationException cancelled = new CancellationException("stop");
    OutOfMemoryError oom = new OutOfMemoryError("oom");

    assertThat(Failures.classify(notFound, DESC)).isSameAs(notFound);
    assertThat(Failures.classify(cancelled, DESC)).isSameAs(cancelled);
    assertThat(Failures.classify(oom, DESC)).isSameAs(oom);
  }
}
