package dev.hoist.remotes.docker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.errors.NotFoundException;
import dev.hoist.errors.UnauthorizedException;
import dev.hoist.errors.UnavailableException;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegistryErrorsTest {

  static Reply reply(int status, String body) {
    return new Reply(
        "GET",
        URI.create("https://r.example/v2/team/app/blobs/x?X-Amz-Signature=secret"),
        status,
        HttpHeaders.of(Map.of(), (a, b) -> true),
        body == null ? null : new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void parsesCodeMessageAndDetail() {
    assertThat(
            RegistryErrors.parseErrors(
                ("{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\",\"detail\":{\"Tag\":\"x\"}},"
                        + "{\"code\":\"DENIED\"}]}")
                    .getBytes(StandardCharsets.UTF_8)))
        .containsExactly("MANIFEST_UNKNOWN: manifest unknown ({\"Tag\":\"x\"})", "DENIED");
  }

  @Test
  void ignoresBodiesThatAreNotErrorDocuments() {
    assertThat(RegistryErrors.parseErrors("<html>".getBytes(StandardCharsets.UTF_8))).isEmpty();
    assertThat(RegistryErrors.parseErrors("{\"errors\":3}".getBytes(StandardCharsets.UTF_8)))
        .isEmpty();
    assertThat(RegistryErrors.parseErrors(new byte[0])).isEmpty();
  }

  @Test
  void mapsStatusesToCategories() {
    assertThat(RegistryErrors.toException("blob x", reply(404, null)))
        .isInstanceOf(NotFoundException.class);
    assertThat(RegistryErrors.toException("blob x", reply(401, null)))
        .isInstanceOf(UnauthorizedException.class);
    assertThat(RegistryErrors.toException("blob x", reply(403, null)))
        .isInstanceOf(UnauthorizedException.class);
    assertThat(RegistryErrors.toException("blob x", reply(503, null)))
        .isInstanceOf(UnavailableException.class);
    assertThat(RegistryErrors.toException("blob x", reply(501, null)))
        .isInstanceOf(UnavailableException.class);
    assertThat(RegistryErrors.toException("blob x", reply(400, null)))
        .isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  void messageNamesTheRequestButNotTheQuerySignature() {
    String m =
        RegistryErrors.toException("blob x", reply(403, "{\"errors\":[{\"code\":\"DENIED\"}]}"))
            .getMessage();

    assertThat(m).contains("blob x", "GET https://r.example/v2/team/app/blobs/x", "403", "DENIED");
    assertThat(m).doesNotContain("secret");
  }

  @Test
  void readsAtMostABoundedErrorBodyFromAnEndlessStream() {
    java.util.concurrent.atomic.AtomicLong served = new java.util.concurrent.atomic.AtomicLong();
    java.io.InputStream endless =
        new java.io.InputStream() {
          @Override
          public int read() {
            served.incrementAndGet();
            return '[';
          }
        };
    Reply r =
        new Reply(
            "GET",
            URI.create("https://r.example/v2/x"),
            500,
            HttpHeaders.of(Map.of(), (a, b) -> true),
            endless);

    String m = RegistryErrors.describe("blob x", r);

    assertThat(m).contains("500");
    assertThat(served.get()).isLessThanOrEqualTo(RegistryErrors.MAX_ERROR_BODY + 1);
  }
}
