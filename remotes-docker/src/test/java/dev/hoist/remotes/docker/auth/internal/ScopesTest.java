package dev.hoist.remotes.docker.auth.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScopesTest {

  @Test
  void mergeSortsAndDeduplicatesAndDropsBlanks() {
    assertThat(
            Scopes.merge(
                List.of("repository:b:pull", " ", "repository:a:pull"),
                List.of("repository:b:pull")))
        .containsExactly("repository:a:pull", "repository:b:pull");
  }

  @Test
  void derivesPullScopeFromManifestAndBlobPathsOnly() {
    assertThat(Scopes.derivePull("GET", URI.create("https://r/v2/library/alpine/manifests/3.20")))
        .contains("repository:library/alpine:pull");
    assertThat(Scopes.derivePull("HEAD", URI.create("https://r/v2/a/b/c/blobs/sha256:00")))
        .contains("repository:a/b/c:pull");
    assertThat(Scopes.derivePull("GET", URI.create("https://r/v2/"))).isEmpty();
    assertThat(Scopes.derivePull("PUT", URI.create("https://r/v2/a/manifests/1"))).isEmpty();
  }

  @Test
  void repositoryComesFromTheFirstRepositoryScope() {
    assertThat(Scopes.repository(List.of("registry:catalog:*", "repository:team/app:pull,push")))
        .contains("team/app");
    assertThat(Scopes.repository(List.of("registry:catalog:*"))).isEmpty();
  }
}
