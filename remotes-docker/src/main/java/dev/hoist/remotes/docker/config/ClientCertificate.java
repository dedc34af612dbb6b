package dev.hoist.remotes.docker.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A TLS client certificate and its private key, both PEM files, as a {@code client} entry of {@code
 * hosts.toml} or a {@code .cert}/{@code .key} pair of a {@code certs.d} directory.
 *
 * @param certificate PEM file holding the certificate chain (leaf first)
 * @param key nullable: PEM file holding the private key; null when {@code certificate} holds the
 *     key as well (containerd's {@code [cert, ""]})
 */
public record ClientCertificate(Path certificate, Path key) {

  /**
   * Requires the certificate file.
   *
   * @param certificate PEM file holding the certificate chain (leaf first)
   * @param key nullable: PEM file holding the private key; null when {@code certificate} holds the
   *     key as well (containerd's {@code [cert, ""]})
   * @throws NullPointerException when {@code certificate} is null
   */
  public ClientCertificate {
    Objects.requireNonNull(certificate, "certificate");
  }

  /**
   * A certificate whose PEM file also holds its private key.
   *
   * @param pem the PEM file holding the certificate chain and the private key
   * @return the certificate
   */
  public static ClientCertificate combined(Path pem) {
    return new ClientCertificate(pem, null);
  }

  /**
   * A certificate and a key in separate PEM files.
   *
   * @param certificate the PEM file holding the certificate chain
   * @param key the PEM file holding the private key
   * @return the certificate
   */
  public static ClientCertificate of(Path certificate, Path key) {
    return new ClientCertificate(certificate, Objects.requireNonNull(key, "key"));
  }

  /**
   * {@return the file holding the private key: {@link #key()} if set, else {@link #certificate()}}
   */
  public Path keyFile() {
    return key == null ? certificate : key;
  }

  /** {@return the separate key file, if any} */
  public Optional<Path> separateKey() {
    return Optional.ofNullable(key);
  }
}
