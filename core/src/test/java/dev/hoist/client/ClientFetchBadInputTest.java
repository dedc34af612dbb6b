package dev.hoist.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.errors.DigestMismatchException;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.errors.NotFoundException;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.MediaTypes;
import dev.hoist.spec.OciJson;
import dev.hoist.spec.Platform;
import dev.hoist.testing.TestImages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** End to end: bad references, manifests and blobs fail with typed errors and record nothing. */
@Timeout(30)
class ClientFetchBadInputTest extends FetchFixture {

  @Test
  void malformedReferenceIsRefusedBeforeResolving() {
    for (String bad :
        List.of("Upper/Case:1", "app:bad tag", "app@sha256:123", "", "http://x/y:1")) {
      assertThatThrownBy(() -> client.fetch(bad, ctx().build()))
          .as(bad)
          .isInstanceOf(InvalidArgumentException.class);
    }
    assertThat(remote.resolves()).isEmpty();
  }

  @Test
  void unknownTagIsNotFound() {
    assertThatThrownBy(() -> client.fetch("app:missing", ctx().build()))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("app:missing");
    assertThat(images.list()).isEmpty();
  }

  @Test
  void manifestOverTheSizeLimitIsRefusedBeforeDownload() throws IOException {
    byte[] big = new byte[(int) OciJson.DEFAULT_MAX_MANIFEST_BYTES + 1];
    Arrays.fill(big, (byte) ' ');
    Descriptor huge =
        TestImages.descriptor(MediaTypes.OCI_MANIFEST, big)
            .withPlatform(Platform.of("linux", "amd64"));
    Descriptor index = indexOf(huge);
    remote.blob(big).tag("docker.io/library/huge:1", index);

    assertThatThrownBy(() -> client.fetch("huge:1", ctx().platforms("linux/amd64").build()))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining(huge.digest().toString());
    assertThat(remote.fetchCount(huge.digest())).isZero();
    assertThat(store.exists(huge.digest())).isFalse();
    assertThat(images.list()).isEmpty();
  }

  @Test
  void smallerManifestLimitIsAnOption() throws IOException {
    Descriptor manifest = image.manifest("linux/amd64");

    assertThatThrownBy(
            () ->
                client.fetch(
                    REF,
                    ctx().platforms("linux/amd64").maxManifestBytes(manifest.size() - 1).build()))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining(image.root().digest().toString());
  }

  @Test
  void manifestThatIsNotJsonFailsNamingItsDigest() throws IOException {
    byte[] junk = "this is not json".getBytes(StandardCharsets.UTF_8);
    Descriptor bad =
        TestImages.descriptor(MediaTypes.OCI_MANIFEST, junk)
            .withPlatform(Platform.of("linux", "amd64"));
    remote.blob(junk).tag("docker.io/library/junk:1", indexOf(bad));

    assertThatThrownBy(() -> client.fetch("junk:1", ctx().platforms("linux/amd64").build()))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining(bad.digest().toString());
    assertThat(images.list()).isEmpty();
  }

  @Test
  void corruptedLayerFailsAndNothingOfItIsCommitted() throws IOException {
    Descriptor layer = image.layers("linux/amd64").get(1);
    remote.corrupt(layer.digest());

    assertThatThrownBy(() -> client.fetch(REF, ctx().platforms("linux/amd64").build()))
        .isInstanceOf(DigestMismatchException.class)
        .hasMessageContaining(layer.digest().toString());
    assertThat(store.exists(layer.digest())).isFalse();
    assertThat(images.list()).isEmpty();
  }

  @Test
  void remoteFailureIsUnavailable() {
    Descriptor config = image.config("linux/amd64");
    remote.failOn(config.digest(), new java.net.ConnectException("connection refused"));

    assertThatThrownBy(() -> client.fetch(REF, ctx().platforms("linux/amd64").build()))
        .isInstanceOf(dev.hoist.errors.UnavailableException.class);
  }

  @Test
  void closedClientRefusesToFetch() {
    client.close();

    assertThatThrownBy(() -> client.fetch(REF, ctx().build()))
        .isInstanceOf(IllegalStateException.class);
  }
}
