package dev.hoist.remotes.docker.auth.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HostPolicyTest {

  final HostPolicy policy = new HostPolicy(Set.of("mirror.internal:5000"), true);
  final HostPolicy strict = new HostPolicy(Set.of(), false);

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "https://registry.example.com/v2/, true",
    "http://registry.example.com/v2/, false",
    "http://mirror.internal:5000/v2/, true",
    "http://mirror.internal:5001/v2/, false",
    "http://localhost:5000/v2/, true",
    "http://127.0.0.1:5000/v2/, true",
    "http://127.1.2.3/v2/, true",
    "http://[::1]:5000/v2/, true",
    "http://127.evil.example/v2/, false",
    "http://localhost.evil.example/v2/, false",
    "ftp://registry.example.com/, false"
  })
  void credentialsGoOnlyOverHttpsOrToConfiguredPlainHttpHosts(String uri, boolean allowed) {
    assertThat(policy.mayReceiveCredentials(URI.create(uri))).isEqualTo(allowed);
  }

  @ParameterizedTest
  @CsvSource({"http://localhost:5000/v2/", "http://127.0.0.1/v2/"})
  void loopbackCanBeExcluded(String uri) {
    assertThat(strict.mayReceiveCredentials(URI.create(uri))).isFalse();
  }
}
