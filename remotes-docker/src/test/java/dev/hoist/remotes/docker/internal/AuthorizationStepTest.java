package dev.hoist.remotes.docker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.remotes.docker.AuthRequest;
import dev.hoist.remotes.docker.Authorizer;
import dev.hoist.remotes.docker.HostCapability;
import dev.hoist.remotes.docker.RegistryHost;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The authorization step: credentials to the registry's origin, one answer to its 401. */
class AuthorizationStepTest {

  static final URI ASKED = URI.create("https://r.example/v2/a/manifests/1");

  /** An authorizer that hands out a fixed header and answers challenges as told. */
  static class Fixed implements Authorizer {
    final boolean retry;
    final List<AuthRequest> challenged = new ArrayList<>();

    Fixed(boolean retry) {
      this.retry = retry;
    }

    @Override
    public Optional<String> authorize(AuthRequest request) {
      return Optional.of("Bearer t0ken-for-" + request.uri().getHost());
    }

    @Override
    public boolean onUnauthorized(AuthRequest request, HttpHeaders headers) {
      challenged.add(request);
      return retry;
    }
  }

  static Requester.Call call(Authorizer a) {
    RegistryHost host =
        new RegistryHost(
            null, a, "https", "r.example", "/v2", EnumSet.allOf(HostCapability.class), Map.of());
    return new Requester.Call(host, "GET", ASKED, Map.of(), List.of("repository:a:pull"), true);
  }

  static Reply reply(int status, String from, AtomicBoolean closed) {
    InputStream body =
        new ByteArrayInputStream(new byte[0]) {
          @Override
          public void close() {
            closed.set(true);
          }
        };
    return new Reply(
        "GET", URI.create(from), status, HttpHeaders.of(Map.of(), (k, v) -> true), body);
  }

  /** {@code status, answered from -> the registry's own challenge?} */
  @ParameterizedTest
  @CsvSource({
    "401, https://r.example/v2/a/manifests/1, true",
    "401, https://R.EXAMPLE/v2/other, true",
    "401, https://cdn.example/o, false",
    "401, http://r.example/v2/a/manifests/1, false",
    "401, https://r.example:444/v2/a, false",
    "403, https://r.example/v2/a/manifests/1, false",
    "200, https://r.example/v2/a/manifests/1, false",
  })
  void onlyTheRegistrysOwn401IsAChallenge(int status, String from, boolean challenge) {
    assertThat(AuthorizationStep.isChallenge(ASKED, reply(status, from, new AtomicBoolean())))
        .isEqualTo(challenge);
  }

  /** {@code the authorizer has new credentials, already retried -> send again?} */
  @ParameterizedTest
  @CsvSource({
    "true, false, true",
    "true, true, false",
    "false, false, false",
    "false, true, false"
  })
  void aChallengeIsAnsweredOnceAndTheAuthorizerAlwaysSeesIt(
      boolean authorizerRetries, boolean retried, boolean again) throws IOException {
    Fixed authorizer = new Fixed(authorizerRetries);

    boolean sendAgain =
        AuthorizationStep.answer(
            call(authorizer), reply(401, ASKED.toString(), new AtomicBoolean()), retried);

    assertThat(sendAgain).isEqualTo(again);
    assertThat(authorizer.challenged)
        .singleElement()
        .satisfies(r -> assertThat(r.uri()).isEqualTo(ASKED));
  }

  @Test
  void anAuthorizerThatFailsClosesTheReplyAndPassesTheFailureOn() {
    Authorizer failing =
        new Fixed(true) {
          @Override
          public boolean onUnauthorized(AuthRequest request, HttpHeaders headers) {
            throw new IllegalStateException("token server down");
          }
        };
    AtomicBoolean closed = new AtomicBoolean();

    assertThatThrownBy(
            () ->
                AuthorizationStep.answer(
                    call(failing), reply(401, ASKED.toString(), closed), false))
        .hasMessage("token server down");
    assertThat(closed).isTrue();
  }

  @Test
  void credentialsAreAddedForTheHopTheyAreAskedFor() throws IOException {
    List<Map.Entry<String, String>> headers = new ArrayList<>();

    AuthorizationStep.authorize(call(new Fixed(false)), ASKED, headers);

    assertThat(headers).containsExactly(Map.entry("Authorization", "Bearer t0ken-for-r.example"));
  }
}
