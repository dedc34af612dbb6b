package dev.hoist.remotes.docker;

import java.net.http.HttpHeaders;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** Always authorizes with one header value; records the requests and challenges it saw. */
final class FixedAuthorizer implements Authorizer {

  final String header;
  final List<AuthRequest> authorized = new CopyOnWriteArrayList<>();
  final List<AuthRequest> challenged = new CopyOnWriteArrayList<>();

  FixedAuthorizer(String header) {
    this.header = header;
  }

  @Override
  public Optional<String> authorize(AuthRequest request) {
    authorized.add(request);
    return Optional.of(header);
  }

  @Override
  public boolean onUnauthorized(AuthRequest request, HttpHeaders responseHeaders) {
    challenged.add(request);
    return false;
  }
}
