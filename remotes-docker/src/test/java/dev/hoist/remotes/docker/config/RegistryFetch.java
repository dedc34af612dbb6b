package dev.hoist.remotes.docker.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hoist.remotes.Resolved;
import dev.hoist.remotes.docker.DockerFetcher;
import dev.hoist.remotes.docker.DockerResolver;
import dev.hoist.remotes.docker.RegistryHosts;
import dev.hoist.spec.Descriptor;
import dev.hoist.testing.TestImages;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;

/** Resolves a reference and fetches every blob of a {@link TestImages} image, verifying bytes. */
final class RegistryFetch {

  private RegistryFetch() {}

  /**
   * Fetches {@code ref} through {@code hosts} and checks it is {@code image}; returns blobs read.
   */
  static int fetchAll(RegistryHosts hosts, String ref, TestImages image) throws IOException {
    // Over Hoist's own HTTP/1.1 connections (the default), then over java.net.http with HTTP/2:
    // both must honour the host's TLS configuration.
    int n = fetchAll(DockerResolver.builder().hosts(hosts).build(), ref, image);
    assertThat(
            fetchAll(
                DockerResolver.builder()
                    .hosts(hosts)
                    .httpVersion(HttpClient.Version.HTTP_2)
                    .build(),
                ref,
                image))
        .isEqualTo(n);
    return n;
  }

  private static int fetchAll(DockerResolver resolver, String ref, TestImages image)
      throws IOException {
    Resolved resolved = resolver.resolve(ref);
    assertThat(resolved.descriptor().digest()).isEqualTo(image.root().digest());
    DockerFetcher fetcher = resolver.fetcher(resolved.name());
    List<Descriptor> all = new ArrayList<>();
    all.add(image.root());
    for (Descriptor m : image.manifests()) {
      if (!m.digest().equals(image.root().digest())) {
        all.add(m);
      }
    }
    for (String p : image.platforms()) {
      all.add(image.config(p));
      all.addAll(image.layers(p));
    }
    for (Descriptor d : all) {
      try (InputStream in = fetcher.fetch(d)) {
        assertThat(in.readAllBytes()).as("blob %s", d.digest()).isEqualTo(image.blob(d.digest()));
      }
    }
    return all.size();
  }
}
