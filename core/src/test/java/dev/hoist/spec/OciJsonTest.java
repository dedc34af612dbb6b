package dev.hoist.spec;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.hoist.digest.Digest;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.errors.NotImplementedException;
import dev.hoist.spec.internal.Json;
import dev.hoist.spec.internal.JsonObject;
import dev.hoist.spec.internal.OciTrees;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OciJsonTest {

  private static final String SRC = "manifest sha256:1234";
  private static final String D1 = "sha256:" + "1".repeat(64);
  private static final String D2 = "sha256:" + "2".repeat(64);
  private static final String D3 = "sha256:" + "3".repeat(64);

  private static final String CONFIG =
      "{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\""
          + D1
          + "\",\"size\":1470}";
  private static final String LAYER =
      "{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\""
          + D2
          + "\",\"size\":3623807}";
  private static final String MANIFEST =
      "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":"
          + CONFIG
          + ",\"layers\":["
          + LAYER
          + "]}";
  private static final String INDEX =
      "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":["
          + "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\""
          + D1
          + "\",\"size\":1024,\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}},"
          + "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\""
          + D2
          + "\",\"size\":1025,\"platform\":{\"architecture\":\"arm64\",\"os\":\"linux\",\"variant\":\"v8\"}}]}";

  static Stream<Arguments> canonicalDocuments() {
    return Stream.of(
        arguments(Descriptor.class, LAYER),
        arguments(
            Descriptor.class,
            "{\"mediaType\":\"application/vnd.oci.image.layer.nondistributable.v1.tar+gzip\",\"digest\":\""
                + D3
                + "\",\"size\":0,\"urls\":[\"https://example.com/layer\"],"
                + "\"annotations\":{\"a\":\"1\",\"b\":\"2\"},"
                + "\"platform\":{\"architecture\":\"arm\",\"os\":\"linux\",\"variant\":\"v7\"},"
                + "\"artifactType\":\"application/example\"}"),
        arguments(Platform.class, "{\"architecture\":\"amd64\",\"os\":\"linux\"}"),
        arguments(
            Platform.class,
            "{\"architecture\":\"amd64\",\"os\":\"windows\",\"os.version\":\"10.0.17763.1234\","
                + "\"os.features\":[\"win32k\"]}"),
        arguments(Manifest.class, MANIFEST),
        arguments(
            Manifest.class,
            "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.docker.container.image.v1+json\",\"digest\":\""
                + D1
                + "\",\"size\":7023},\"layers\":[]}"),
        arguments(
            Manifest.class,
            "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"artifactType\":\"application/example\",\"config\":"
                + "{\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"digest\":\""
                + D1
                + "\",\"size\":2},"
                + "\"layers\":["
                + LAYER
                + "],\"subject\":"
                + LAYER
                + ",\"annotations\":{\"org.opencontainers.image.created\":\"2024-01-01T00:00:00Z\"}}"),
        arguments(Index.class, INDEX),
        arguments(Index.class, "{\"schemaVersion\":2,\"manifests\":[]}"));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("canonicalDocuments")
  void roundTripsCanonicalDocumentByteForByte(Class<?> type, String json) throws IOException {
    Object value = read(type, json.getBytes(UTF_8));

    assertThat(new String(OciJson.write(value), UTF_8)).isEqualTo(json);
    assertThat(read(type, OciJson.write(value))).isEqualTo(value);
  }

  private static Object read(Class<?> type, byte[] json) throws IOException {
    if (type == Manifest.class) {
      return OciJson.readManifest(json, SRC);
    } else if (type == Index.class) {
      return OciJson.readIndex(json, SRC);
    }
    JsonObject o = JsonObject.of(Json.parse(json), "");
    return type == Descriptor.class ? OciTrees.descriptor(o) : OciTrees.platform(o);
  }

  @Test
  void readsManifestFields() {
    Manifest m = OciJson.readManifest(MANIFEST.getBytes(UTF_8), SRC);

    assertThat(m.schemaVersion()).isEqualTo(2);
    assertThat(m.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
    assertThat(m.config()).isEqualTo(Descriptor.of(MediaTypes.OCI_CONFIG, Digest.parse(D1), 1470));
    assertThat(m.layers())
        .containsExactly(Descriptor.of(MediaTypes.OCI_LAYER_GZIP, Digest.parse(D2), 3623807));
  }

  @Test
  void readsIndexWithPlatforms() {
    Index index = OciJson.readIndex(INDEX.getBytes(UTF_8), SRC);

    assertThat(index.manifests())
        .extracting(Descriptor::platform)
        .containsExactly(Platform.of("linux", "amd64"), Platform.of("linux", "arm64", "v8"));
  }

  @Test
  void writesAnnotationsSortedByKeyWhateverTheInputOrder() {
    Map<String, String> unordered = new LinkedHashMap<>();
    unordered.put("z", "1");
    unordered.put("a", "2");
    unordered.put("m", "3");
    Descriptor d =
        Descriptor.of(MediaTypes.OCI_LAYER, Digest.parse(D1), 1).withAnnotations(unordered);

    assertThat(new String(OciJson.write(d), UTF_8))
        .contains("\"annotations\":{\"a\":\"2\",\"m\":\"3\",\"z\":\"1\"}");
    assertThat(d.annotations().keySet()).containsExactly("a", "m", "z");
  }

  @Test
  void ignoresUnknownFields() {
    String json =
        "{\"schemaVersion\":2,\"future\":{\"nested\":[1,2,{\"x\":null}]},\"config\":"
            + CONFIG.replace("}", ",\"data\":\"e30=\",\"newField\":true}")
            + ",\"layers\":[]}";

    Manifest m = OciJson.readManifest(json.getBytes(UTF_8), SRC);

    assertThat(m.config().digest()).hasToString(D1);
    assertThat(new String(OciJson.write(m), UTF_8)).doesNotContain("future", "newField", "data");
  }

  @Test
  void readsAMissingOrNullSizeAsZeroAsGoDoes() {
    // The fetch refuses size 0 later with a clear message; parsing stays as lenient as containerd.
    String missing = MANIFEST.replace(",\"size\":3623807", "");
    String nul = MANIFEST.replace("\"size\":3623807", "\"size\":null");

    assertThat(OciJson.readManifest(missing.getBytes(UTF_8), SRC).layers().get(0).size()).isZero();
    assertThat(OciJson.readManifest(nul.getBytes(UTF_8), SRC).layers().get(0).size()).isZero();
  }

  @Test
  void readsTheImageConfigPlatformAndDiffIds() {
    String json =
        "{\"architecture\":\"arm64\",\"os\":\"linux\",\"variant\":\"v8\",\"config\":{\"Env\":[]},"
            + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
            + D2
            + "\"]},\"history\":[]}";

    ImageConfig config = OciJson.readConfig(json.getBytes(UTF_8), "config");

    assertThat(config.platform()).isEqualTo(Platform.of("linux", "arm64", "v8"));
    assertThat(config.rootfs().diffIds()).containsExactly(D2);
  }

  @Test
  void readsMediaTypeOfADocument() {
    assertThat(OciJson.mediaTypeOf(INDEX.getBytes(UTF_8), SRC)).isEqualTo(MediaTypes.OCI_INDEX);
    assertThat(OciJson.mediaTypeOf("{\"schemaVersion\":2}".getBytes(UTF_8), SRC)).isNull();
  }

  static Stream<String> schema1Documents() {
    return Stream.of(
        "{\"schemaVersion\":1,\"name\":\"library/x\",\"tag\":\"latest\",\"architecture\":\"amd64\","
            + "\"fsLayers\":[{\"blobSum\":\""
            + D1
            + "\"}],\"history\":[]}",
        "{\"schemaVersion\":1}",
        "{\"mediaType\":\"application/vnd.docker.distribution.manifest.v1+prettyjws\"}",
        "{\"mediaType\":\"application/vnd.docker.distribution.manifest.v1+json\",\"schemaVersion\":2}",
        "{\"fsLayers\":[]}");
  }

  @ParameterizedTest
  @MethodSource("schema1Documents")
  void rejectsDockerSchema1AsNotImplemented(String json) {
    assertThatThrownBy(() -> OciJson.readManifest(json.getBytes(UTF_8), SRC))
        .isInstanceOf(NotImplementedException.class)
        .hasMessageContaining(SRC)
        .hasMessageContaining("schema 1");
    assertThatThrownBy(() -> OciJson.readIndex(json.getBytes(UTF_8), SRC))
        .isInstanceOf(NotImplementedException.class);
  }

  /** document, what the message must say; each is refused by readManifest. */
  static Stream<Arguments> badManifests() {
    return Stream.of(
        arguments("not json", "invalid JSON"),
        arguments("{\"schemaVersion\":2,", "invalid JSON"),
        arguments("", "not a JSON object"),
        arguments("[]", "not a JSON object"),
        arguments("\"manifest\"", "not a JSON object"),
        arguments("42", "not a JSON object"),
        arguments("null", "not a JSON object"),
        arguments(MANIFEST + "{}", "invalid JSON"),
        arguments(MANIFEST + " trailing", "invalid JSON"),
        arguments("{\"schemaVersion\":2,\"schemaVersion\":3}", "invalid JSON"),
        arguments(MANIFEST.replace("\"size\":3623807", "\"size\":-1"), "negative size -1"),
        arguments(MANIFEST.replace("\"size\":3623807", "\"size\":\"3623807\""), "invalid Manifest"),
        arguments(MANIFEST.replace("\"size\":3623807", "\"size\":1.5"), "invalid Manifest"),
        arguments(
            MANIFEST.replace("\"size\":3623807", "\"size\":99999999999999999999"),
            "invalid Manifest"),
        arguments(MANIFEST.replace("\"digest\":\"" + D2 + "\",", ""), "missing digest"),
        arguments(MANIFEST.replace(D2, "sha256:xyz"), "invalid digest \"sha256:xyz\""),
        arguments(MANIFEST.replace(D2, "sha256:../../etc/passwd"), "invalid digest"),
        arguments(
            MANIFEST.replace("\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",", ""),
            "missing mediaType"),
        arguments(MANIFEST.replace("[" + LAYER + "]", "[null]"), "null element"),
        arguments(MANIFEST.replace("\"config\":" + CONFIG + ",", ""), "missing config"),
        arguments(MANIFEST.replace("]}", "],\"manifests\":[]}"), "found an index"),
        arguments(INDEX, "found an index"),
        arguments(
            MANIFEST.replace("}]}", "}],\"annotations\":{\"k\":null}}"), "null value for \"k\""));
  }

  @ParameterizedTest(name = "{1}: {0}")
  @MethodSource("badManifests")
  void rejectsBadManifestNamingTheSource(String json, String reason) {
    assertThatThrownBy(() -> OciJson.readManifest(json.getBytes(UTF_8), SRC))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageStartingWith(SRC + ": ")
        .hasMessageContaining(reason);
  }

  static Stream<Arguments> badIndexes() {
    return Stream.of(
        arguments(MANIFEST, "found a manifest"),
        arguments(
            "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\","
                + "\"manifests\":[]}",
            "found a manifest"),
        arguments("{\"schemaVersion\":2,\"manifests\":[],\"layers\":[]}", "found a manifest"),
        arguments(INDEX.replace("\"os\":\"linux\",", ""), "platform: missing os"),
        arguments(INDEX.replace("\"architecture\":\"amd64\",", ""), "missing architecture"),
        arguments("{\"manifests\":{}}", "invalid Index"),
        arguments("{\"manifests\":[1]}", "invalid Index"));
  }

  @ParameterizedTest(name = "{1}: {0}")
  @MethodSource("badIndexes")
  void rejectsBadIndexNamingTheSource(String json, String reason) {
    assertThatThrownBy(() -> OciJson.readIndex(json.getBytes(UTF_8), "index sha256:99"))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageStartingWith("index sha256:99: ")
        .hasMessageContaining(reason);
  }

  static Stream<Arguments> readers() {
    return Stream.of(
        arguments("readManifest", (BiFunction<byte[], String, Object>) OciJson::readManifest),
        arguments("readIndex", (BiFunction<byte[], String, Object>) OciJson::readIndex),
        arguments("readConfig", (BiFunction<byte[], String, Object>) OciJson::readConfig),
        arguments("mediaTypeOf", (BiFunction<byte[], String, Object>) OciJson::mediaTypeOf));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("readers")
  void rejectsDeeplyNestedJsonBombQuickly(String name, BiFunction<byte[], String, Object> reader) {
    int depth = 100_000;
    byte[] arrays = ("[".repeat(depth) + "]".repeat(depth)).getBytes(UTF_8);
    byte[] objects = ("{\"a\":".repeat(depth) + "1" + "}".repeat(depth)).getBytes(UTF_8);

    assertTimeoutPreemptively(
        Duration.ofSeconds(5),
        () -> {
          assertThatThrownBy(() -> reader.apply(arrays, "bomb"))
              .isInstanceOf(InvalidArgumentException.class)
              .hasMessageStartingWith("bomb: invalid JSON");
          assertThatThrownBy(() -> reader.apply(objects, "bomb"))
              .isInstanceOf(InvalidArgumentException.class)
              .hasMessageStartingWith("bomb: invalid JSON");
        });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("readers")
  void rejectsNullContent(String name, BiFunction<byte[], String, Object> reader) {
    assertThatThrownBy(() -> reader.apply(null, "blob sha256:77"))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("blob sha256:77");
  }

  @Test
  void acceptsNestingThatRealDocumentsUse() {
    String nested =
        "{\"schemaVersion\":2,\"config\":"
            + CONFIG
            + ",\"layers\":[],\"x\":"
            + "[".repeat(OciJson.MAX_NESTING - 2)
            + "]".repeat(OciJson.MAX_NESTING - 2)
            + "}";

    assertThat(OciJson.readManifest(nested.getBytes(UTF_8), SRC).config().size()).isEqualTo(1470);
  }

  @Test
  void recordsRefuseInvalidValuesWithoutNullPointerExceptions() {
    Digest d = Digest.parse(D1);
    assertThatThrownBy(() -> Descriptor.of(null, d, 1))
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> Descriptor.of(MediaTypes.OCI_LAYER, null, 1))
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> Descriptor.of(MediaTypes.OCI_LAYER, d, -5))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("negative size -5");
    assertThatThrownBy(() -> Platform.of(null, "amd64"))
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> Platform.of("linux", null))
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(
            () -> new Index(2, null, null, java.util.Arrays.asList((Descriptor) null), null, null))
        .isInstanceOf(InvalidArgumentException.class);
    assertThat(new Manifest(2, null, null, null, null, null, null).layers()).isEmpty();
    assertThat(Descriptor.of(MediaTypes.OCI_LAYER, d, 1).sameContent(null)).isFalse();
    assertThat(Descriptor.of(MediaTypes.OCI_LAYER, d, 1).urls()).isEqualTo(List.of());
  }
}
