package dev.hoist.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.hoist.content.ContentInfo;
import dev.hoist.digest.Digest;
import dev.hoist.images.HandlerSignal;
import dev.hoist.images.Image;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.MediaTypes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** End to end: the image record, labels, progress events and custom handlers. */
@Timeout(30)
class ClientFetchRecordTest extends FetchFixture {

  @Test
  void familiarReferenceIsNormalisedAndTheImageRecorded() throws IOException {
    Image fetched = client.fetch("app:1", ctx().label("team", "core").build());

    assertThat(remote.resolves()).containsExactly(REF);
    assertThat(fetched.name()).isEqualTo(REF);
    assertThat(fetched.labels()).containsOnly(entry("team", "core"));
    assertThat(images.get(REF)).contains(fetched);
    assertThat(fetched.createdAt()).isNotNull();
  }

  @Test
  void fetchingAgainUpdatesTheRecordedImage() throws IOException {
    client.fetch(REF, ctx().label("v", "1").build());

    Image second = client.fetch(REF, ctx().label("v", "2").build());

    assertThat(images.list()).hasSize(1);
    assertThat(images.get(REF).orElseThrow().labels()).containsOnly(entry("v", "2"));
    assertThat(second.labels()).containsOnly(entry("v", "2"));
  }

  @Test
  void gcAndDistributionSourceLabelsAreSet() throws IOException {
    client.fetch(REF, ctx().platforms("linux/amd64").build());

    List<Descriptor> ms = image.manifests();
    // The index references every manifest, fetched or not, as containerd does.
    assertThat(store.info(image.root().digest()).labels())
        .contains(
            entry(GC + "m.0", ms.get(0).digest().toString()),
            entry(GC + "m.1", ms.get(1).digest().toString()),
            entry(GC + "m.2", ms.get(2).digest().toString()));
    List<Descriptor> layers = image.layers("linux/amd64");
    assertThat(store.info(image.manifest("linux/amd64").digest()).labels())
        .contains(
            entry(GC + "config", image.config("linux/amd64").digest().toString()),
            entry(GC + "l.0", layers.get(0).digest().toString()),
            entry(GC + "l.1", layers.get(1).digest().toString()));
    List<ContentInfo> infos = new ArrayList<>();
    store.walk(info -> true, infos::add);
    assertThat(infos)
        .hasSize(5)
        .allSatisfy(info -> assertThat(info.labels()).containsEntry(SOURCE, "library/app"));
  }

  @Test
  void distributionSourceListsEveryRepositoryOnceSorted() throws IOException {
    remote.add("docker.io/aaa/mirror:1", image);
    client.fetch(REF, ctx().platforms("linux/amd64").build());
    client.fetch("aaa/mirror:1", ctx().platforms("linux/amd64").build());
    client.fetch(REF, ctx().platforms("linux/amd64").build());

    assertThat(store.info(image.root().digest()).labels())
        .containsEntry(SOURCE, "aaa/mirror,library/app");
  }

  @Test
  void childLabelMapReplacesTheGcLabels() throws IOException {
    client.fetch(
        REF,
        ctx().platforms("linux/amd64").childLabelMap(child -> List.of("example.com/ref.")).build());

    assertThat(store.info(image.root().digest()).labels())
        .containsOnlyKeys("example.com/ref.0", "example.com/ref.1", "example.com/ref.2", SOURCE);
  }

  @Test
  void progressReportsResolveThenEachBlobWaitingDownloadingDone() throws IOException {
    List<String> events = new CopyOnWriteArrayList<>();
    Map<Digest, Long> bytes = new ConcurrentHashMap<>();
    ProgressListener listener = recorder(events);
    ProgressListener counting =
        new ProgressListener() {
          @Override
          public void resolving(String ref) {
            listener.resolving(ref);
          }

          @Override
          public void resolved(String ref, Descriptor root) {
            listener.resolved(ref, root);
          }

          @Override
          public void waiting(Descriptor desc) {
            listener.waiting(desc);
          }

          @Override
          public void downloading(Descriptor desc, long resumeOffset) {
            listener.downloading(desc, resumeOffset);
          }

          @Override
          public void bytesTransferred(Descriptor desc, long count) {
            bytes.merge(desc.digest(), count, Long::sum);
          }

          @Override
          public void done(Descriptor desc) {
            listener.done(desc);
          }
        };

    client.fetch(REF, ctx().platforms("linux/amd64").progress(counting).build());

    assertThat(events.subList(0, 2))
        .containsExactly("resolving " + REF, "resolved " + REF + " " + image.root().digest());
    Set<Digest> expected = union(rootOnly(), image.digestsOf("linux/amd64"));
    assertThat(events).hasSize(2 + 3 * expected.size());
    for (Digest d : expected) {
      int waiting = events.indexOf("waiting " + d);
      int downloading = events.indexOf("downloading " + d + " 0");
      int done = events.indexOf("done " + d);
      assertThat(waiting).isGreaterThan(1);
      assertThat(downloading).isGreaterThan(waiting);
      assertThat(done).isGreaterThan(downloading);
      assertThat(bytes.get(d)).isEqualTo(image.blob(d).length);
    }
  }

  @Test
  void listenerThatThrowsDoesNotBreakTheFetch() throws IOException {
    ProgressListener hostile =
        new ProgressListener() {
          @Override
          public void resolving(String ref) {
            throw new IllegalStateException("listener bug");
          }

          @Override
          public void waiting(Descriptor desc) {
            throw new IllegalStateException("listener bug");
          }

          @Override
          public void done(Descriptor desc) {
            throw new IllegalStateException("listener bug");
          }
        };

    client.fetch(REF, ctx().platforms("linux/amd64").progress(hostile).build());

    assertThat(stored()).hasSize(5);
  }

  @Test
  void baseHandlersRunFirstAndTheWrapperSeesEveryDescriptor() throws IOException {
    List<Digest> wrapped = new CopyOnWriteArrayList<>();
    RemoteContext ctx =
        ctx()
            .platforms("linux/amd64")
            .baseHandler(
                desc -> {
                  if (MediaTypes.isLayer(desc.mediaType())) {
                    throw HandlerSignal
                        .SKIP_CHILDREN; // later handlers, the fetch included, skip it
                  }
                  return List.of();
                })
            .handlerWrapper(
                inner ->
                    desc -> {
                      wrapped.add(desc.digest());
                      return inner.handle(desc);
                    })
            .build();

    client.fetch(REF, ctx);

    assertThat(remote.fetched())
        .containsExactlyInAnyOrderElementsOf(union(rootOnly(), image.metadataOf("linux/amd64")));
    assertThat(wrapped)
        .containsExactlyInAnyOrderElementsOf(union(rootOnly(), image.digestsOf("linux/amd64")));
  }
}
