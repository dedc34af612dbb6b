package dev.hoist.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.hoist.errors.InvalidArgumentException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DockerReferencesTest {

  private static final String D = "sha256:" + "a".repeat(64);
  private static final String D512 = "sha512:" + "0123456789abcdef".repeat(8);

  static Stream<Arguments> normalisedNames() {
    return Stream.of(
        arguments("nginx", "docker.io/library/nginx:latest"),
        arguments("nginx:1.25", "docker.io/library/nginx:1.25"),
        arguments("user/app", "docker.io/user/app:latest"),
        arguments("user/app:v1", "docker.io/user/app:v1"),
        arguments("docker.io/nginx", "docker.io/library/nginx:latest"),
        arguments("docker.io/library/nginx", "docker.io/library/nginx:latest"),
        arguments("docker.io/library/nginx:latest", "docker.io/library/nginx:latest"),
        arguments("index.docker.io/x", "docker.io/library/x:latest"),
        arguments("index.docker.io/user/x:t", "docker.io/user/x:t"),
        arguments("library/nginx", "docker.io/library/nginx:latest"),
        arguments("a/b/c/d", "docker.io/a/b/c/d:latest"),
        arguments("localhost/x", "localhost/x:latest"),
        arguments("localhost:5000/x", "localhost:5000/x:latest"),
        arguments("localhost:5000/x:tag", "localhost:5000/x:tag"),
        arguments("[::1]:5000/x", "[::1]:5000/x:latest"),
        arguments("[::1]/x:t", "[::1]/x:t"),
        arguments("127.0.0.1:5000/team/x", "127.0.0.1:5000/team/x:latest"),
        arguments("ghcr.io/org/app:1.0", "ghcr.io/org/app:1.0"),
        arguments(
            "registry.example.com/a-b_c.d/e__f/g---h",
            "registry.example.com/a-b_c.d/e__f/g---h:latest"),
        arguments("Foo/bar", "Foo/bar:latest"),
        arguments("my-registry:5000/app", "my-registry:5000/app:latest"),
        arguments("nginx@" + D, "docker.io/library/nginx@" + D),
        arguments("nginx:1.25@" + D, "docker.io/library/nginx:1.25@" + D),
        arguments("localhost:5000/x@" + D512, "localhost:5000/x@" + D512),
        arguments("localhost:5000/x:t@" + D, "localhost:5000/x:t@" + D),
        arguments("nginx:_tag.with-Chars_", "docker.io/library/nginx:_tag.with-Chars_"),
        arguments("nginx:" + "t".repeat(128), "docker.io/library/nginx:" + "t".repeat(128)),
        arguments("docker.io", "docker.io/library/docker.io:latest"),
        arguments("localhost:5000", "docker.io/library/localhost:5000"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("normalisedNames")
  void normalisesFamiliarNames(String input, String expected) {
    assertThat(DockerReferences.normalizeName(input)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("normalisedNames")
  void normalisedNameParsesBackToTheSameReference(String input, String expected) {
    Reference ref = DockerReferences.normalize(input);

    assertThat(Reference.parse(expected)).isEqualTo(ref);
    assertThat(DockerReferences.normalize(expected)).isEqualTo(ref);
  }

  @Test
  void splitsHostRepositoryTagAndDigest() {
    Reference ref = DockerReferences.normalize("localhost:5000/team/app:v2@" + D);

    assertThat(ref.hostname()).isEqualTo("localhost:5000");
    assertThat(ref.repository()).isEqualTo("team/app");
    assertThat(ref.tag()).isEqualTo("v2");
    assertThat(ref.digest()).hasToString(D);
  }

  @Test
  void addsNoTagWhenADigestIsPresent() {
    Reference ref = DockerReferences.normalize("nginx@" + D);

    assertThat(ref.tag()).isNull();
    assertThat(ref.object()).isEqualTo("@" + D);
  }

  static Stream<Arguments> badReferences() {
    return Stream.of(
        arguments("", "empty"),
        arguments("Nginx", "must be lowercase"),
        arguments("user/App", "must be lowercase"),
        arguments("localhost:5000/Foo", "must be lowercase"),
        arguments("docker.io/Library/nginx:latest", "must be lowercase"),
        arguments("nginx:", "invalid tag"),
        arguments("nginx:-tag", "invalid tag"),
        arguments("nginx:.tag", "invalid tag"),
        arguments("user/nginx:ta/g", "invalid tag"),
        arguments("nginx:ta/g", "invalid port"),
        arguments("nginx:t:g", "invalid tag"),
        arguments("nginx:" + "t".repeat(129), "invalid tag"),
        arguments("a/" + "b".repeat(250), "more than 255 characters"),
        arguments("x".repeat(238), "more than 255 characters"),
        arguments("-nginx", "path component"),
        arguments("nginx-", "path component"),
        arguments("ngi..nx", "path component"),
        arguments("ngi___nx", "path component"),
        arguments("ngi_-nx", "path component"),
        arguments("user//app", "path component"),
        arguments("user/app/", "path component"),
        arguments("localhost:5000/", "at least one component"),
        arguments(":tag", "at least one component"),
        arguments("@" + D, "at least one component"),
        arguments("ngin%78", "path component"),
        arguments("nginx@", "invalid digest"),
        arguments("nginx@sha256:abc", "invalid digest"),
        arguments("nginx@sha256:" + "A".repeat(64), "invalid digest"),
        arguments("nginx@md5:" + "a".repeat(32), "invalid digest"),
        arguments("nginx@" + D + "@" + D, "invalid digest"),
        arguments("https://docker.io/library/nginx", "://"),
        arguments("docker.io/library/nginx:latest\r\nX-Injected: 1", "whitespace"),
        arguments("ngi nx", "whitespace"),
        arguments("nginx\t", "whitespace"),
        arguments("nginx\u0000", "control"),
        arguments("nginx\u007f", "control"),
        arguments("ngïnx", "non-ASCII"),
        arguments("a".repeat(64), "64-byte hexadecimal"),
        arguments("-bad.example.com/x", "registry host"),
        arguments("bad-.example.com/x", "registry host"),
        arguments("bad..example.com/x", "registry host"),
        arguments("my_registry:5000/x", "registry host"),
        arguments("localhost:/x", "port"),
        arguments("localhost:50a0/x", "port"),
        arguments("[::1/x", "registry host"),
        arguments("[zz]:5000/x", "registry host"),
        arguments("[::1]5000/x", "registry host"));
  }

  @ParameterizedTest(name = "{0} ({1})")
  @MethodSource("badReferences")
  void rejectsMalformedReferenceNamingIt(String input, String reason) {
    assertThatThrownBy(() -> DockerReferences.normalize(input))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining(reason)
        .hasMessageContaining(Reference.quote(input));
  }

  @Test
  void rejectsHugeReferenceWithABoundedMessage() {
    String huge = "a".repeat(1_000_000);

    assertThatThrownBy(() -> DockerReferences.normalize(huge))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("more than 255 characters")
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(400));
  }

  @Test
  void rejectsNull() {
    assertThatThrownBy(() -> DockerReferences.normalize(null))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("null");
  }

  @Test
  void acceptsNameOfExactlyTheMaximumLength() {
    // "docker.io/library/" is 18 characters: the limit counts the normalised name.
    String path = "x".repeat(DockerReferences.NAME_TOTAL_LENGTH_MAX - 18);

    assertThat(DockerReferences.normalize(path).locator())
        .hasSize(DockerReferences.NAME_TOTAL_LENGTH_MAX);
  }
}
