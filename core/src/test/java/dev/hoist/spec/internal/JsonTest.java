package dev.hoist.spec.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.hoist.errors.InvalidArgumentException;
import java.io.IOException;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {

  private static Object parse(String json) throws IOException {
    return Json.parse(json.getBytes(UTF_8));
  }

  @Test
  void readsEveryKindIntoPlainJavaValuesKeepingFieldOrder() throws IOException {
    Object v =
        parse(
            "{\"z\":1,\"a\":[true,false,null,\"s\"],\"big\":123456789012345678901234567890,"
                + "\"f\":1.5,\"neg\":-7,\"o\":{}}");

    assertThat(v).isInstanceOf(Map.class);
    Map<?, ?> m = (Map<?, ?>) v;
    assertThat(m.keySet().toArray()).containsExactly("z", "a", "big", "f", "neg", "o");
    assertThat(m.get("z")).isEqualTo(1L);
    assertThat(m.get("a")).isEqualTo(Arrays.asList(true, false, null, "s"));
    assertThat(m.get("big")).isEqualTo(new BigInteger("123456789012345678901234567890"));
    assertThat(m.get("f")).isEqualTo(1.5);
    assertThat(m.get("neg")).isEqualTo(-7L);
    assertThat(m.get("o")).isEqualTo(Map.of());
  }

  @Test
  void emptyInputAndNullReadAsNull() throws IOException {
    assertThat(parse("")).isNull();
    assertThat(parse(" null ")).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"a\":1,\"a\":2}", "{} {}", "{} x", "[1,]", "{\"a\"}", "{"})
  void refusesWhatIsNotExactlyOneDocumentWithoutDuplicateKeys(String json) {
    assertThatThrownBy(() -> parse(json)).isInstanceOf(JsonProcessingException.class);
  }

  @Test
  void theLenientReaderKeepsTheLastDuplicateAsGoDoesButStillRefusesTrailingContent()
      throws IOException {
    assertThat(Json.parseLenient("{\"a\":1,\"a\":2}".getBytes(UTF_8))).isEqualTo(Map.of("a", 2L));
    assertThatThrownBy(() -> Json.parseLenient("{} {}".getBytes(UTF_8)))
        .isInstanceOf(JsonProcessingException.class);
  }

  @Test
  void refusesNestingDeeperThanTheLimitInBothReaders() throws IOException {
    String ok = "[".repeat(Json.MAX_NESTING) + "]".repeat(Json.MAX_NESTING);
    String deep = "[".repeat(Json.MAX_NESTING + 1) + "]".repeat(Json.MAX_NESTING + 1);

    assertThat(parse(ok)).isInstanceOf(List.class);
    assertThatThrownBy(() -> parse(deep)).isInstanceOf(JsonProcessingException.class);
    assertThatThrownBy(() -> Json.parseLenient(deep.getBytes(UTF_8)))
        .isInstanceOf(JsonProcessingException.class);
  }

  @Test
  void errorMessagesDoNotQuoteTheDocument() {
    assertThatThrownBy(() -> parse("{\"password\":\"hunter2\" oops}"))
        .isInstanceOf(JsonProcessingException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
  }

  @Test
  void writesCompactlyInIterationOrderAndReadsBackTheSameValue() throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("z", "quote \" and \u00e9");
    m.put("a", Arrays.asList(1L, 2, null, true, 2.5, new BigInteger("99999999999999999999")));
    m.put("o", Map.of());

    byte[] json = Json.write(m);

    assertThat(new String(json, UTF_8))
        .isEqualTo(
            "{\"z\":\"quote \\\" and \u00e9\",\"a\":[1,2,null,true,2.5,99999999999999999999],\"o\":{}}");
    Map<?, ?> back = (Map<?, ?>) Json.parse(json);
    assertThat(back.get("a"))
        .isEqualTo(Arrays.asList(1L, 2L, null, true, 2.5, new BigInteger("99999999999999999999")));
  }

  @Test
  void refusesToWriteWhatIsNotAJsonValue() {
    assertThatThrownBy(() -> Json.write(List.of(new Object())))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void scalarTextAndKindNameValuesForMessages() {
    assertThat(Json.scalarText("s")).isEqualTo("s");
    assertThat(Json.scalarText(12L)).isEqualTo("12");
    assertThat(Json.scalarText(true)).isEqualTo("true");
    assertThat(Json.scalarText(null)).isEmpty();
    assertThat(Json.scalarText(Map.of("a", 1))).isEmpty();
    assertThat(Json.kind(Map.of())).isEqualTo("an object");
    assertThat(Json.kind(List.of())).isEqualTo("an array");
    assertThat(Json.kind(1L)).isEqualTo("a number");
    assertThat(Json.kind(1.5)).isEqualTo("a fraction");
    assertThat(Json.kind(null)).isEqualTo("null");
  }

  @Test
  void jsonObjectNamesThePathOfAFieldOfTheWrongKind() throws IOException {
    JsonObject o =
        JsonObject.of(
            parse(
                "{\"s\":1,\"n\":\"12\",\"f\":1.5,\"big\":99999999999999999999,\"i\":3000000000,"
                    + "\"l\":[\"a\",null,3],\"m\":{\"k\":[]},\"o\":{\"inner\":{\"x\":true}}}"),
            "doc");

    assertThatThrownBy(() -> o.string("s"))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessage("doc.s: expected a string, got a number");
    assertThatThrownBy(() -> o.longValue("n"))
        .hasMessage("doc.n: expected an integer, got a string");
    assertThatThrownBy(() -> o.longValue("f"))
        .hasMessage("doc.f: expected an integer, got a fraction");
    assertThatThrownBy(() -> o.longValue("big"))
        .hasMessageContaining("doc.big")
        .hasMessageContaining("out of range");
    assertThat(o.longValue("i")).isEqualTo(3_000_000_000L);
    assertThatThrownBy(() -> o.intValue("i")).hasMessageContaining("out of range");
    assertThatThrownBy(() -> o.strings("l"))
        .hasMessage("doc.l[2]: expected a string, got a number");
    assertThatThrownBy(() -> o.stringMap("m"))
        .hasMessage("doc.m.k: expected a string, got an array");
    assertThatThrownBy(() -> o.object("o").object("inner").string("x"))
        .hasMessage("doc.o.inner.x: expected a string, got a boolean");
    assertThatThrownBy(() -> o.array("o")).hasMessage("doc.o: expected an array, got an object");
    assertThatThrownBy(() -> JsonObject.of(List.of(), ""))
        .hasMessage("document: expected an object, got an array");
  }

  @Test
  void jsonObjectReadsAbsentAndNullAlikeAndKeepsNullElementsForTheRecordsToRefuse()
      throws IOException {
    JsonObject o = JsonObject.of(parse("{\"n\":null,\"l\":[\"a\",null],\"m\":{\"k\":null}}"), "");

    assertThat(o.has("n")).isTrue();
    assertThat(o.has("absent")).isFalse();
    assertThat(o.string("n")).isNull();
    assertThat(o.string("absent")).isNull();
    assertThat(o.longValue("n")).isZero();
    assertThat(o.object("n")).isNull();
    assertThat(o.strings("l")).containsExactly("a", null);
    assertThat(o.stringMap("m")).containsEntry("k", null);
    assertThat(o.stringOrNull("l")).isNull();
  }
}
