package dev.hoist.content.local.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hoist.testing.RandomStrings;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class RefNamesTest {

  /** The OCI image spec's grammar for ref.name, as a regular expression: the oracle. */
  private static final String COMPONENT = "[A-Za-z0-9]+(?:(?:[-._:@+]|--)[A-Za-z0-9]+)*";

  private static final Pattern GRAMMAR = Pattern.compile(COMPONENT + "(?:/" + COMPONENT + ")*");

  @Test
  void acceptsExactlyWhatTheSpecGrammarAccepts() {
    RandomStrings.forEach(
        7,
        200_000,
        "aZ9-._:@+/[]%",
        8,
        s -> assertThat(RefNames.valid(s)).as("%s", s).isEqualTo(GRAMMAR.matcher(s).matches()));
  }

  @Test
  void keepsFullNamesAndDropsABracketedHost() {
    assertThat(RefNames.annotation("docker.io/library/nginx:latest"))
        .isEqualTo("docker.io/library/nginx:latest");
    assertThat(RefNames.annotation("registry:5000/team/app@sha256:" + "a".repeat(64)))
        .isEqualTo("registry:5000/team/app@sha256:" + "a".repeat(64));
    assertThat(RefNames.annotation("[::1]:5000/x:1")).isEqualTo("x:1");
    assertThat(RefNames.annotation("a--b/c---d")).isNull();
    assertThat(RefNames.valid(null)).isFalse();
    assertThat(RefNames.valid("")).isFalse();
  }
}
