package dev.hoist.digest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.hoist.errors.InvalidArgumentException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DigestTest {

  private static final String HEX64 = "0123456789abcdef".repeat(4);
  private static final String HEX128 = "fedcba9876543210".repeat(8);

  static Stream<Arguments> validDigests() {
    return Stream.of(
        arguments("sha256:" + HEX64, "sha256", HEX64),
        arguments("sha512:" + HEX128, "sha512", HEX128),
        arguments("sha256:" + "0".repeat(64), "sha256", "0".repeat(64)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validDigests")
  void parsesValidDigest(String input, String algorithm, String hex) {
    Digest d = Digest.parse(input);

    assertThat(d.algorithm()).isEqualTo(algorithm);
    assertThat(d.hex()).isEqualTo(hex);
    assertThat(d.encoded()).isEqualTo(hex);
    assertThat(d).hasToString(input);
    assertThat(Digest.isValid(input)).isTrue();
  }

  static Stream<Arguments> invalidDigests() {
    return Stream.of(
        arguments("", "expected algorithm:hex"),
        arguments("sha256", "expected algorithm:hex"),
        arguments(":" + HEX64, "expected algorithm:hex"),
        arguments("../x", "expected algorithm:hex"),
        arguments("sha256:../x", "needs 64"),
        arguments("sha256:../../" + HEX64.substring(6), "needs 64"),
        arguments("sha256:" + HEX64.substring(0, 63) + "/", "needs 64"),
        arguments("sha256:" + HEX64.toUpperCase(), "needs 64"),
        arguments("sha256:ABC" + HEX64.substring(3), "needs 64"),
        arguments("SHA256:" + HEX64, "unsupported algorithm"),
        arguments("sha256:" + HEX64.substring(1), "needs 64"),
        arguments("sha256:" + HEX64 + "0", "needs 64"),
        arguments("sha256:", "needs 64"),
        arguments("sha512:" + HEX64, "needs 128"),
        arguments("sha256:" + HEX128, "needs 64"),
        arguments("md5:" + "0".repeat(32), "unsupported algorithm"),
        arguments("sha384:" + "0".repeat(96), "unsupported algorithm"),
        arguments("sha256:" + HEX64.substring(1) + "g", "needs 64"),
        arguments("sha256:" + HEX64.substring(2) + "\r\n", "needs 64"),
        arguments("sha256:sha256:" + HEX64.substring(7), "needs 64"));
  }

  @ParameterizedTest(name = "{0} ({1})")
  @MethodSource("invalidDigests")
  void rejectsInvalidDigestNamingIt(String input, String reason) {
    assertThatThrownBy(() -> Digest.parse(input))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining(reason)
        .hasMessageContaining(
            "invalid digest \"" + input.replace("\r", "\\u000d").replace("\n", "\\u000a"));
    assertThat(Digest.isValid(input)).isFalse();
  }

  @Test
  void rejectsNull() {
    assertThatThrownBy(() -> Digest.parse(null))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("null");
    assertThat(Digest.isValid(null)).isFalse();
    assertThatThrownBy(() -> new Digest(null, HEX64)).isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> new Digest("sha256", null))
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> Digest.sha256((byte[]) null))
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> Digest.sha256((String) null))
        .isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  void constructorValidatesLikeParse() {
    assertThatThrownBy(() -> new Digest("sha256", "../../etc/passwd"))
        .isInstanceOf(InvalidArgumentException.class);
    assertThat(new Digest("sha256", HEX64)).isEqualTo(Digest.parse("sha256:" + HEX64));
  }

  @Test
  void sha256OfStringIsSha256OfItsUtf8Bytes() {
    assertThat(Digest.sha256("abc"))
        .hasToString("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(Digest.sha256("é"))
        .isEqualTo(Digest.sha256("é".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  @Test
  void ordersByTextualForm() {
    Digest a = Digest.parse("sha256:" + "0".repeat(64));
    Digest b = Digest.parse("sha256:" + "1".repeat(64));
    Digest c = Digest.parse("sha512:" + "0".repeat(128));

    assertThat(a).isLessThan(b);
    assertThat(b).isLessThan(c);
    assertThat(a.compareTo(Digest.parse(a.toString()))).isZero();
  }
}
