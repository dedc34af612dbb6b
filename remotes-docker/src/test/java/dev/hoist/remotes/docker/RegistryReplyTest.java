package dev.hoist.remotes.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.hoist.errors.HoistException;
import dev.hoist.errors.RegistryReply;
import dev.hoist.errors.UnauthorizedException;
import dev.hoist.errors.UnavailableException;
import dev.hoist.spec.Descriptor;
import dev.hoist.testkit.Fault;
import dev.hoist.testkit.GeneratedImages;
import dev.hoist.testkit.ImageSpec;
import dev.hoist.testkit.TestImage;
import dev.hoist.testkit.TestRegistryExtension;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Failures from a registry reply carry its host and status as typed values (issue 16 item 5). */
@Timeout(60)
class RegistryReplyTest {

  @RegisterExtension static final TestRegistryExtension REGISTRY = new TestRegistryExtension();

  static final TestImage IMAGE =
      GeneratedImages.random(ImageSpec.builder().layers(1, 1024).seed(55).build());

  final RecordingSleeper sleeper = new RecordingSleeper();

  @BeforeAll
  static void push() {
    REGISTRY.registry().push("reply/app:1", IMAGE);
  }

  HoistException fetchFails(int status) {
    Descriptor layer = IMAGE.layers().get(0);
    REGISTRY.registry().faults().add("GET", "/blobs/" + layer.digest() + "$", Fault.status(status));
    DockerResolver resolver =
        DockerResolver.builder()
            .sleeper(sleeper)
            .retryPolicy(RetryPolicy.builder().retryFor(Duration.ofSeconds(2)).build())
            .build();
    return catchThrowableOfType(
        () -> resolver.fetcher(REGISTRY.registry().reference("reply/app:1")).fetch(layer).close(),
        HoistException.class);
  }

  @Test
  void a503StormTellsTheStatusAndHostWithoutParsingTheMessage() {
    HoistException e = fetchFails(503);

    assertThat(e).isInstanceOf(UnavailableException.class);
    assertThat(e.registryReply())
        .hasValue(new RegistryReply("127.0.0.1:" + REGISTRY.registry().port(), 503));
    assertThat(sleeper.waits).isNotEmpty();
  }

  @Test
  void a429IsToldApartFromA503() {
    assertThat(fetchFails(429).registryReply().map(RegistryReply::status)).hasValue(429);
  }

  @Test
  void aRefusalCarriesItsStatus() {
    HoistException e = fetchFails(403);

    assertThat(e).isInstanceOf(UnauthorizedException.class);
    assertThat(e.registryReply().map(RegistryReply::status)).hasValue(403);
  }

  @Test
  void aFailureWithoutAReplyHasNone() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    DockerResolver resolver =
        DockerResolver.builder()
            .sleeper(sleeper)
            .retryPolicy(RetryPolicy.builder().retryFor(Duration.ZERO).build())
            .build();

    HoistException e =
        catchThrowableOfType(
            () -> resolver.resolve("127.0.0.1:" + port + "/reply/app:1"), HoistException.class);

    assertThat(e).isInstanceOf(UnavailableException.class);
    assertThat(e.registryReply()).isEmpty();
  }
}
