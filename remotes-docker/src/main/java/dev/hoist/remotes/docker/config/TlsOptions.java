package dev.hoist.remotes.docker.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * TLS settings for a registry host: extra trusted CA certificates (added to the system trust store,
 * never replacing it), client certificates, and whether to skip verification. Values are compared
 * by content, so hosts with equal settings share one {@code SSLContext} and one {@code HttpClient}.
 *
 * <p>{@code skipVerify} is tri-state as containerd's {@code skip_verify}: empty means "not set", so
 * a host's explicit {@code false} overrides a default {@code true}.
 *
 * @param caCertificates PEM files with CA certificates to trust besides the system's
 * @param clientCertificates client certificates offered when the server asks for one
 * @param skipVerify empty when not set; {@code true} turns off certificate and host name checks
 */
public record TlsOptions(
    List<Path> caCertificates,
    List<ClientCertificate> clientCertificates,
    Optional<Boolean> skipVerify) {

  /** No CA, no client certificate, verification not set (so on). */
  public static final TlsOptions NONE = new TlsOptions(List.of(), List.of(), Optional.empty());

  /**
   * Copies the lists.
   *
   * @param caCertificates PEM files with CA certificates to trust besides the system's
   * @param clientCertificates client certificates offered when the server asks for one
   * @param skipVerify empty when not set; {@code true} turns off certificate and host name checks
   * @throws NullPointerException when a list or {@code skipVerify} is null
   */
  public TlsOptions {
    caCertificates = List.copyOf(Objects.requireNonNull(caCertificates, "caCertificates"));
    clientCertificates =
        List.copyOf(Objects.requireNonNull(clientCertificates, "clientCertificates"));
    Objects.requireNonNull(skipVerify, "skipVerify");
  }

  /** {@return a builder with nothing set} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return true when anything is configured (containerd's "explicit TLS")} */
  public boolean isConfigured() {
    return !caCertificates.isEmpty() || !clientCertificates.isEmpty() || skipVerify.isPresent();
  }

  /** {@return true when certificate and host name verification is off} */
  public boolean insecureSkipVerify() {
    return skipVerify.orElse(false);
  }

  /**
   * Returns these settings layered over {@code base}, as containerd clones the default TLS config
   * before applying a host's: CA and client lists are concatenated (base first), and this {@code
   * skipVerify} wins when set.
   *
   * @param base the settings underneath, e.g. the defaults of every host
   * @return the combined settings
   */
  public TlsOptions over(TlsOptions base) {
    if (!base.isConfigured()) {
      return this;
    }
    if (!isConfigured()) {
      return base;
    }
    List<Path> cas = new ArrayList<>(base.caCertificates);
    cas.addAll(caCertificates);
    List<ClientCertificate> clients = new ArrayList<>(base.clientCertificates);
    clients.addAll(clientCertificates);
    return new TlsOptions(cas, clients, skipVerify.isPresent() ? skipVerify : base.skipVerify);
  }

  /** Builds {@link TlsOptions}. Not thread-safe. */
  public static final class Builder {
    private final List<Path> cas = new ArrayList<>();
    private final List<ClientCertificate> clients = new ArrayList<>();
    private Optional<Boolean> skipVerify = Optional.empty();

    private Builder() {}

    /**
     * Adds a PEM file of CA certificates to trust.
     *
     * @param pem a PEM file of one or more CA certificates
     * @return this builder
     */
    public Builder caCertificate(Path pem) {
      cas.add(Objects.requireNonNull(pem, "pem"));
      return this;
    }

    /**
     * Adds a client certificate.
     *
     * @param certificate the certificate and its key
     * @return this builder
     */
    public Builder clientCertificate(ClientCertificate certificate) {
      clients.add(Objects.requireNonNull(certificate, "certificate"));
      return this;
    }

    /**
     * Sets whether to skip certificate verification (for tests and trusted networks only).
     *
     * @param skip true to skip verification
     * @return this builder
     */
    public Builder skipVerify(boolean skip) {
      skipVerify = Optional.of(skip);
      return this;
    }

    /** {@return the settings} */
    public TlsOptions build() {
      return new TlsOptions(cas, clients, skipVerify);
    }
  }

  // Written out, here and in hashCode: a record's generated equals and hashCode are linked by
  // method handles on first use, which costs a fresh JVM milliseconds on every fetch.
  @Override
  public boolean equals(Object o) {
    return o instanceof TlsOptions t
        && t.caCertificates.equals(caCertificates)
        && t.clientCertificates.equals(clientCertificates)
        && t.skipVerify.equals(skipVerify);
  }

  @Override
  public int hashCode() {
    return Objects.hash(caCertificates, clientCertificates, skipVerify);
  }
}
