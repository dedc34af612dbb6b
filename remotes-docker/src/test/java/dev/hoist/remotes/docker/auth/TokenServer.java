package dev.hoist.remotes.docker.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A small Docker token server for tests (distribution's token auth spec): answers {@code GET
 * /token?service=&scope=} (Basic auth or anonymous) and OAuth2 {@code POST /token} (password grant)
 * with RS256 JWTs signed by an RSA key and a self-signed certificate made at start, sent in the
 * JWT's {@code x5c} header. The registry trusts the certificate through {@link
 * #writeRootCertBundle}.
 *
 * <p>One user with a password may pull and push anything; anonymous callers get tokens without
 * access, which the registry refuses with {@code insufficient_scope}.
 */
final class TokenServer implements AutoCloseable {

  static final String SERVICE = "hoist-test-registry";
  static final String ISSUER = "hoist-test-issuer";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String user;
  private final String password;
  private final KeyPair key;
  private final X509Certificate cert;
  private final HttpServer server;
  final AtomicInteger getRequests = new AtomicInteger();
  final AtomicInteger postRequests = new AtomicInteger();
  final AtomicInteger refused = new AtomicInteger();

  TokenServer(String user, String password) throws Exception {
    this.user = user;
    this.password = password;
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    this.key = g.generateKeyPair();
    this.cert = selfSigned(key);
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/token", this::handle);
    server.start();
  }

  String realm() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
  }

  void writeRootCertBundle(Path file) throws Exception {
    String pem =
        "-----BEGIN CERTIFICATE-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(cert.getEncoded())
            + "\n-----END CERTIFICATE-----\n";
    Files.writeString(file, pem, StandardCharsets.US_ASCII);
  }

  /** A token granting {@code actions} on {@code repo}, e.g. for pushing test content. */
  String mint(String repo, List<String> actions) throws Exception {
    return jwt(user, List.of(access(repo, actions)));
  }

  private void handle(HttpExchange ex) throws IOException {
    try {
      Map<String, List<String>> params;
      String who;
      if (ex.getRequestMethod().equals("POST")) {
        postRequests.incrementAndGet();
        params = parse(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        if (!first(params, "grant_type").equals("password")) {
          send(ex, 400, "{\"error\":\"unsupported_grant_type\"}");
          return;
        }
        who = check(first(params, "username"), first(params, "password"));
        List<String> scopes = new ArrayList<>();
        for (String s : first(params, "scope").split(" ")) {
          if (!s.isEmpty()) {
            scopes.add(s);
          }
        }
        params.put("scope", scopes);
      } else {
        getRequests.incrementAndGet();
        params = parse(ex.getRequestURI().getRawQuery());
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth == null) {
          who = "";
        } else {
          String decoded =
              new String(
                  Base64.getDecoder().decode(auth.substring("Basic ".length())),
                  StandardCharsets.UTF_8);
          int colon = decoded.indexOf(':');
          who = check(decoded.substring(0, colon), decoded.substring(colon + 1));
        }
      }
      if (who == null) {
        refused.incrementAndGet();
        send(
            ex,
            401,
            "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"invalid username or password\"}]}");
        return;
      }
      if (!SERVICE.equals(first(params, "service"))) {
        send(ex, 400, "{\"errors\":[{\"code\":\"DENIED\",\"message\":\"unknown service\"}]}");
        return;
      }
      List<Map<String, Object>> access = new ArrayList<>();
      if (!who.isEmpty()) {
        for (String scope : params.getOrDefault("scope", List.of())) {
          String[] parts = scope.split(":");
          if (parts.length == 3 && parts[0].equals("repository")) {
            access.add(access(parts[1], List.of(parts[2].split(","))));
          }
        }
      }
      String token = jwt(who, access);
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("token", token);
      body.put("access_token", token);
      body.put("expires_in", 300);
      body.put("issued_at", Instant.now().toString());
      send(ex, 200, JSON.writeValueAsString(body));
    } catch (Exception e) {
      send(ex, 500, "{\"error\":\"" + e.getClass().getSimpleName() + "\"}");
    }
  }

  /** The subject when the credentials are right; null when wrong. */
  private String check(String u, String p) {
    return user.equals(u) && password.equals(p) ? u : null;
  }

  private static Map<String, Object> access(String repo, List<String> actions) {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("type", "repository");
    a.put("name", repo);
    a.put("actions", actions);
    return a;
  }

  private String jwt(String subject, List<Map<String, Object>> access) throws Exception {
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("typ", "JWT");
    header.put("alg", "RS256");
    header.put(
        "x5c", List.of(Base64.getEncoder().encodeToString(cert.getEncoded()))); // standard base64
    long now = Instant.now().getEpochSecond();
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", ISSUER);
    claims.put("sub", subject);
    claims.put("aud", SERVICE); // a string: distribution 2.8 rejects an array
    claims.put("exp", now + 300);
    claims.put("nbf", now - 10);
    claims.put("iat", now);
    claims.put("jti", UUID.randomUUID().toString());
    claims.put("access", access);
    Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
    String signingInput =
        url.encodeToString(JSON.writeValueAsBytes(header))
            + "."
            + url.encodeToString(JSON.writeValueAsBytes(claims));
    Signature sig = Signature.getInstance("SHA256withRSA");
    sig.initSign(key.getPrivate());
    sig.update(signingInput.getBytes(StandardCharsets.US_ASCII));
    return signingInput + "." + url.encodeToString(sig.sign());
  }

  private static X509Certificate selfSigned(KeyPair key) throws Exception {
    X500Name name = new X500Name("CN=hoist test token signer");
    Instant now = Instant.now();
    JcaX509v3CertificateBuilder b =
        new JcaX509v3CertificateBuilder(
            name,
            BigInteger.valueOf(now.toEpochMilli()),
            Date.from(now.minusSeconds(3600)),
            Date.from(now.plusSeconds(86400)),
            name,
            key.getPublic());
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    b.addExtension(
        Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyCertSign));
    return new JcaX509CertificateConverter()
        .getCertificate(
            b.build(new JcaContentSignerBuilder("SHA256withRSA").build(key.getPrivate())));
  }

  private static Map<String, List<String>> parse(String query) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (query == null) {
      return out;
    }
    for (String kv : query.split("&")) {
      if (kv.isEmpty()) {
        continue;
      }
      int eq = kv.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? kv : kv.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
      out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
    }
    return out;
  }

  private static String first(Map<String, List<String>> params, String key) {
    List<String> v = params.get(key);
    return v == null || v.isEmpty() ? "" : v.get(0);
  }

  private static void send(HttpExchange ex, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, b.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(b);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
