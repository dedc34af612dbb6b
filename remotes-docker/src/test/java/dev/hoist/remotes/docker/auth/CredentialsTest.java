package dev.hoist.remotes.docker.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.errors.InvalidArgumentException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CredentialsTest {

  @Test
  void toStringNeverShowsTheSecret() {
    assertThat(Credentials.of("alice", "s3cr3t-pw").toString())
        .contains("alice")
        .doesNotContain("s3cr3t-pw");
    assertThat(Credentials.identityToken("id-tok-123").toString()).doesNotContain("id-tok-123");
  }

  @Test
  void emptyOrTokenUsernameMeansIdentityToken() {
    assertThat(Credentials.identityToken("t").isIdentityToken()).isTrue();
    assertThat(new Credentials(Credentials.TOKEN_USERNAME, "t").isIdentityToken()).isTrue();
    assertThat(new Credentials(null, "t").username()).isEmpty();
    assertThat(Credentials.of("bob", "pw").isIdentityToken()).isFalse();
  }

  @Test
  void emptySecretIsRefusedWithoutEchoingAnything() {
    assertThatThrownBy(() -> Credentials.of("bob", ""))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("bob");
    assertThatThrownBy(() -> Credentials.of("bob", null))
        .isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  void staticProviderMatchesOnlyItsHostAfterNormalisation() {
    CredentialsProvider p = CredentialsProvider.of("Registry.Example.com:5000", "u", "p");

    assertThat(p.credentials("registry.example.com:5000")).contains(Credentials.of("u", "p"));
    assertThat(p.credentials("https://registry.example.com:5000/v2/")).isPresent();
    assertThat(p.credentials("registry.example.com")).isEmpty();
    assertThat(p.credentials("evil.example.com")).isEmpty();
  }

  @Test
  void dockerHubAliasesShareCredentials() {
    CredentialsProvider p = CredentialsProvider.of("docker.io", "u", "p");

    assertThat(p.credentials("registry-1.docker.io")).isPresent();
    assertThat(p.credentials("index.docker.io")).isPresent();
    assertThat(p.credentials("https://index.docker.io/v1/")).isPresent();
  }

  @Test
  void firstOfAsksInOrderAndFirstMatchWins() {
    CredentialsProvider a = CredentialsProvider.of("a.example", "ua", "pa");
    CredentialsProvider b = host -> Optional.of(Credentials.of("ub", "pb"));

    CredentialsProvider both = CredentialsProvider.firstOf(a, b);

    assertThat(both.credentials("a.example")).contains(Credentials.of("ua", "pa"));
    assertThat(both.credentials("other.example")).contains(Credentials.of("ub", "pb"));
    assertThat(CredentialsProvider.none().orElse(a).credentials("a.example")).isPresent();
    assertThat(CredentialsProvider.none().credentials("a.example")).isEmpty();
  }
}
