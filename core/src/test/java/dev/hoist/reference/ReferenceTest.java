package dev.hoist.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.hoist.digest.Digest;
import dev.hoist.errors.InvalidArgumentException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ReferenceTest {

  private static final String D = "sha256:" + "b".repeat(64);

  /** input, locator, object, hostname, tag, digest (null when absent). */
  static Stream<Arguments> goodReferences() {
    return Stream.of(
        arguments(
            "docker.io/library/nginx:latest",
            "docker.io/library/nginx",
            "latest",
            "docker.io",
            "latest",
            null),
        arguments("localhost:5000/x:1", "localhost:5000/x", "1", "localhost:5000", "1", null),
        arguments("[::1]:5000/a/b:t", "[::1]:5000/a/b", "t", "[::1]:5000", "t", null),
        arguments("ghcr.io/o/r@" + D, "ghcr.io/o/r", "@" + D, "ghcr.io", null, D),
        arguments("ghcr.io/o/r:v1@" + D, "ghcr.io/o/r", "v1@" + D, "ghcr.io", "v1", D),
        arguments("example.com//a//b/:t", "example.com/a/b", "t", "example.com", "t", null),
        arguments("example.com/./a:t", "example.com/a", "t", "example.com", "t", null),
        arguments(
            "example.com/Upper/Case_ok:T",
            "example.com/Upper/Case_ok",
            "T",
            "example.com",
            "T",
            null),
        arguments("my_host:443/r:t", "my_host:443/r", "t", "my_host:443", "t", null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goodReferences")
  void parsesLocatorAndObject(
      String input, String locator, String object, String host, String tag, String digest) {
    Reference ref = Reference.parse(input);

    assertThat(ref.locator()).isEqualTo(locator);
    assertThat(ref.object()).isEqualTo(object);
    assertThat(ref.hostname()).isEqualTo(host);
    assertThat(ref.tag()).isEqualTo(tag);
    assertThat(ref.digest()).isEqualTo(digest == null ? null : Digest.parse(digest));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goodReferences")
  void toStringParsesBackToTheSameReference(String input) {
    Reference ref = Reference.parse(input);

    assertThat(Reference.parse(ref.toString())).isEqualTo(ref);
  }

  static Stream<Arguments> badReferences() {
    return Stream.of(
        arguments("", "empty"),
        arguments("nginx", "hostname required"),
        arguments("/library/nginx:latest", "hostname required"),
        arguments("docker.io:latest", "hostname required"),
        arguments("docker.io/", "repository required"),
        arguments("docker.io/:tag", "repository required"),
        arguments("docker.io/library/nginx", "tag or digest required"),
        arguments("docker.io/library/nginx:", "tag or digest required"),
        arguments("https://docker.io/library/nginx:latest", "://"),
        arguments("docker.io/library/nginx:latest\r\nX: y", "whitespace"),
        arguments("docker.io/library/nginx :latest", "whitespace"),
        arguments("docker.io/library/nginx:lat\u0001est", "control"),
        arguments("docker.io/library/ngïnx:latest", "non-ASCII"),
        arguments("docker.io/../../etc/passwd:latest", ".."),
        arguments("docker.io/a/../b:latest", ".."),
        arguments("docker.io/a:../../x", "invalid tag"),
        arguments("docker.io/a:t/x", "invalid tag"),
        arguments("docker.io/a:-t", "invalid tag"),
        arguments("docker.io/a:" + "t".repeat(129), "invalid tag"),
        arguments("docker.io/a?x=1:t", "invalid character '?'"),
        arguments("docker.io/a#frag:t", "invalid character '#'"),
        arguments("docker.io/a%2F..:t", "invalid character '%'"),
        arguments("docker.io/a\\b:t", "invalid character '\\'"),
        arguments("user@docker.io/a:t", "invalid host"),
        arguments("docker.io:port/a:t", "invalid port"),
        arguments("docker.io:/a:t", "invalid port"),
        arguments("docker.io:99999/a:t", "invalid port"),
        arguments("[::1/a:t", "unclosed ["),
        arguments("[]:5000/a:t", "IPv6"),
        arguments("docker.io/a@", "invalid digest"),
        arguments("docker.io/a@sha256:abc", "invalid digest"),
        arguments("docker.io/a:t@sha256:" + "B".repeat(64), "invalid digest"),
        arguments("docker.io/a@sha256:" + "b".repeat(63) + "/", "invalid digest"),
        arguments("docker.io/a@" + D + "@" + D, "invalid digest"));
  }

  @ParameterizedTest(name = "{0} ({1})")
  @MethodSource("badReferences")
  void rejectsMalformedReferenceNamingIt(String input, String reason) {
    assertThatThrownBy(() -> Reference.parse(input))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining(reason)
        .hasMessageContaining(Reference.quote(input));
  }

  @Test
  void rejectsHugeReferenceWithABoundedMessage() {
    String huge = "docker.io/" + "a".repeat(1_000_000);

    assertThatThrownBy(() -> Reference.parse(huge))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("tag or digest required")
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(400));
  }

  @Test
  void rejectsNull() {
    assertThatThrownBy(() -> Reference.parse(null))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("null");
    assertThatThrownBy(() -> new Reference(null, "t")).isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  void withDigestReplacesTagAndDigest() {
    Reference ref = Reference.parse("ghcr.io/o/r:v1");
    Digest d = Digest.parse(D);

    assertThat(ref.withDigest(d)).hasToString("ghcr.io/o/r@" + D);
    assertThat(ref.withDigest(d).tag()).isNull();
    assertThatThrownBy(() -> ref.withDigest(null)).isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  void repositoryIsTheLocatorWithoutHost() {
    assertThat(Reference.parse("localhost:5000/team/app:1").repository()).isEqualTo("team/app");
  }
}
