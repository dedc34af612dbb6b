package dev.hoist.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hoist.content.local.LocalContentStore;
import dev.hoist.remotes.docker.Authorizer;
import dev.hoist.remotes.docker.DockerResolver;
import dev.hoist.remotes.docker.HostCapability;
import dev.hoist.remotes.docker.RegistryHost;
import dev.hoist.remotes.docker.config.TransportOptions;
import dev.hoist.spec.Descriptor;
import dev.hoist.testkit.Fault;
import dev.hoist.testkit.FaultRule;
import dev.hoist.testkit.GeneratedImages;
import dev.hoist.testkit.ImageSpec;
import dev.hoist.testkit.TestImage;
import dev.hoist.testkit.TestRegistry;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A mirror that fails in the middle of a pull hands over to the next host, blob by blob. */
@Timeout(60)
class MirrorFaultTest {

  @TempDir Path dir;

  private TestRegistry mirror;
  private TestRegistry origin;
  private TestImage image;
  private final RecordingSleeper sleeper = new RecordingSleeper();

  @BeforeEach
  void setUp() {
    mirror = TestRegistry.start();
    origin = TestRegistry.start();
    image = GeneratedImages.random(ImageSpec.builder().layers(3, 200_000).seed(21).build());
    mirror.push("team/app:1", image);
    origin.push("team/app:1", image);
  }

  @AfterEach
  void tearDown() {
    mirror.close();
    origin.close();
  }

  private DockerResolver resolver() {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    RegistryHost m = host(http, mirror);
    RegistryHost o = host(http, origin);
    return Fetches.resolver(sleeper).hosts(h -> List.of(m, o)).build();
  }

  static RegistryHost host(HttpClient http, TestRegistry r) {
    return new RegistryHost(
        TransportOptions.jdk(http),
        Authorizer.NONE,
        "http",
        r.host(),
        "/v2",
        EnumSet.of(HostCapability.PULL, HostCapability.RESOLVE),
        Map.of());
  }

  @Test
  void mirrorFailingMidPullHandsEachFailedBlobToTheNextHostWithoutBackoff() throws Exception {
    Descriptor served = image.layers().get(0);
    Descriptor erroring = image.layers().get(1);
    Descriptor dropping = image.layers().get(2);
    mirror.faults().add(FaultRule.on("GET", erroring.digest() + "$").inject(Fault.status(503)));
    mirror.faults().add(FaultRule.on("GET", dropping.digest() + "$").inject(Fault.dropAfter(0)));
    LocalContentStore store = LocalContentStore.open(dir);

    Fetches.fetch(store, origin.reference("team/app:1"), resolver());

    for (Descriptor d : Fetches.amd64Blobs(image)) {
      assertThat(Fetches.verifies(store, d)).as("%s", d.digest()).isTrue();
    }
    assertThat(Fetches.gets(mirror, served.digest())).hasSize(1);
    assertThat(Fetches.gets(origin, served.digest())).isEmpty();
    // The mirror is not the last host: one attempt, then the origin.
    assertThat(Fetches.gets(mirror, erroring.digest())).hasSize(1);
    assertThat(Fetches.gets(origin, erroring.digest())).hasSize(1);
    assertThat(Fetches.gets(origin, dropping.digest())).hasSize(1);
    assertThat(sleeper.waits()).isEmpty();
    // The manifest came from the mirror, as it was healthy for it.
    assertThat(origin.requestLog().matching(null, "/manifests/")).isEmpty();
  }

  @Test
  void mirrorThatGoesAwayEntirelyMidPullHandsOverToTheOrigin() throws Exception {
    Descriptor config = image.configs().get(0);
    // The mirror serves the manifest, then stops answering anything.
    mirror.faults().add(FaultRule.on(null, "/blobs/").inject(Fault.dropAfter(0)));
    LocalContentStore store = LocalContentStore.open(dir);

    Fetches.fetch(store, origin.reference("team/app:1"), resolver());

    for (Descriptor d : Fetches.amd64Blobs(image)) {
      assertThat(Fetches.verifies(store, d)).isTrue();
    }
    assertThat(Fetches.gets(origin, config.digest())).hasSize(1);
    for (Descriptor l : image.layers()) {
      assertThat(Fetches.gets(origin, l.digest())).hasSize(1);
    }
  }
}
