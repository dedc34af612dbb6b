package dev.hoist.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class AuthTest {

  private static String basic(String user, String pass) {
    return "Basic "
        + Base64.getEncoder().encodeToString((user + ":" + pass).getBytes(StandardCharsets.UTF_8));
  }

  private static JsonNode json(HttpResponse<byte[]> r) throws IOException {
    return new ObjectMapper().readTree(r.body());
  }

  @Test
  void basicAuthChallengesRefusesWrongAndAcceptsRightCredentials() throws IOException {
    try (TestRegistry registry = TestRegistry.builder().basicAuth("alice", "s3cret").start()) {
      registry.push("team/app:1", GeneratedImages.random());
      Http http = new Http(registry);

      HttpResponse<byte[]> none = http.head("/v2/team/app/manifests/1");
      HttpResponse<byte[]> wrong = http.get("/v2/", "Authorization", basic("alice", "nope"));
      HttpResponse<byte[]> right =
          http.head("/v2/team/app/manifests/1", "Authorization", basic("alice", "s3cret"));

      assertThat(none.statusCode()).isEqualTo(401);
      assertThat(Http.header(none, "WWW-Authenticate")).isEqualTo("Basic realm=\"testkit\"");
      assertThat(wrong.statusCode()).isEqualTo(401);
      assertThat(Http.text(wrong)).contains("UNAUTHORIZED");
      assertThat(right.statusCode()).isEqualTo(200);
    }
  }

  @Test
  void bearerChallengeNamesRealmServiceAndScope() throws IOException {
    try (TestRegistry registry = TestRegistry.builder().bearerAuth().start()) {
      Http http = new Http(registry);

      HttpResponse<byte[]> base = http.get("/v2/");
      HttpResponse<byte[]> pull = http.head("/v2/library/nginx/manifests/latest");
      HttpResponse<byte[]> push = http.send("POST", "/v2/library/nginx/blobs/uploads/", null);

      String realm =
          "Bearer realm=\"http://127.0.0.1:" + registry.port() + "/token\",service=\"testkit\"";
      assertThat(base.statusCode()).isEqualTo(401);
      assertThat(Http.header(base, "WWW-Authenticate")).isEqualTo(realm);
      assertThat(Http.header(pull, "WWW-Authenticate"))
          .isEqualTo(realm + ",scope=\"repository:library/nginx:pull\"");
      assertThat(Http.header(push, "WWW-Authenticate"))
          .isEqualTo(realm + ",scope=\"repository:library/nginx:pull,push\"");
    }
  }

  @Test
  void anonymousTokenFromGetGrantsRequestedScope() throws IOException {
    try (TestRegistry registry = TestRegistry.builder().bearerAuth().start()) {
      registry.push("library/nginx:latest", GeneratedImages.random());
      Http http = new Http(registry);

      HttpResponse<byte[]> tokenReply =
          http.get("/token?service=testkit&scope=repository:library/nginx:pull");
      JsonNode body = json(tokenReply);
      String token = body.get("token").asText();

      assertThat(tokenReply.statusCode()).isEqualTo(200);
      assertThat(body.get("access_token").asText()).isEqualTo(token);
      assertThat(body.get("expires_in").asLong()).isEqualTo(300);
      assertThat(body.has("issued_at")).isTrue();
      assertThat(
              http.head("/v2/library/nginx/manifests/latest", "Authorization", "Bearer " + token)
                  .statusCode())
          .isEqualTo(200);
      HttpResponse<byte[]> otherRepo =
          http.head("/v2/library/redis/manifests/latest", "Authorization", "Bearer " + token);
      assertThat(otherRepo.statusCode()).isEqualTo(401);
      assertThat(Http.header(otherRepo, "WWW-Authenticate"))
          .contains("error=\"insufficient_scope\"");
    }
  }

  @Test
  void pullTokenCannotPush() throws IOException {
    try (TestRegistry registry = TestRegistry.builder().bearerAuth().start()) {
      Http http = new Http(registry);
      String token = json(http.get("/token?scope=repository:team/app:pull")).get("token").asText();

      HttpResponse<byte[]> r =
          http.send(
              "POST", "/v2/team/app/blobs/uploads/", null, "Authorization", "Bearer " + token);

      assertThat(r.statusCode()).isEqualTo(401);
      assertThat(Http.header(r, "WWW-Authenticate"))
          .contains("scope=\"repository:team/app:pull,push\"")
          .contains("error=\"insufficient_scope\"");
    }
  }

  @Test
  void tokenEndpointWithCredentialsRequiresThem() throws IOException {
    try (TestRegistry registry = TestRegistry.builder().bearerAuth("bob", "pw").start()) {
      Http http = new Http(registry);
      String scope = "?service=testkit&scope=repository:team/app:pull";

      HttpResponse<byte[]> anonymous = http.get("/token" + scope);
      HttpResponse<byte[]> wrong = http.get("/token" + scope, "Authorization", basic("bob", "bad"));
      HttpResponse<byte[]> right =
          http.get("/token" + scope + "&offline_token=true", "Authorization", basic("bob", "pw"));

      assertThat(anonymous.statusCode()).isEqualTo(401);
      assertThat(wrong.statusCode()).isEqualTo(401);
      assertThat(right.statusCode()).isEqualTo(200);
      assertThat(json(right).get("refresh_token").asText()).isNotBlank();
    }
  }

  @Test
  void tokenExpiresByInjectedClock() throws IOException {
    MutableClock clock = new MutableClock();
    try (TestRegistry registry =
        TestRegistry.builder()
            .bearerAuth()
            .clock(clock)
            .tokenLifetime(Duration.ofSeconds(60))
            .start()) {
      Http http = new Http(registry);
      JsonNode body = json(http.get("/token?scope=repository:team/app:pull"));
      String bearer = "Bearer " + body.get("token").asText();

      int fresh = http.get("/v2/", "Authorization", bearer).statusCode();
      clock.advance(Duration.ofSeconds(59));
      int almost = http.get("/v2/", "Authorization", bearer).statusCode();
      clock.advance(Duration.ofSeconds(1));
      HttpResponse<byte[]> expired = http.get("/v2/", "Authorization", bearer);

      assertThat(body.get("expires_in").asLong()).isEqualTo(60);
      assertThat(body.get("issued_at").asText()).isEqualTo("2026-01-01T00:00:00Z");
      assertThat(fresh).isEqualTo(200);
      assertThat(almost).isEqualTo(200);
      assertThat(expired.statusCode()).isEqualTo(401);
      assertThat(Http.header(expired, "WWW-Authenticate")).contains("error=\"invalid_token\"");
    }
  }

  @Test
  void oauthPasswordGrantThenRefreshGrant() throws IOException {
    try (TestRegistry registry = TestRegistry.builder().bearerAuth("bob", "pw").start()) {
      Http http = new Http(registry);
      String scope = URLEncoder.encode("repository:team/app:pull,push", StandardCharsets.UTF_8);

      HttpResponse<byte[]> password =
          http.send(
              "POST",
              "/token",
              ("grant_type=password&username=bob&password=pw&service=testkit&client_id=test&scope="
                      + scope)
                  .getBytes(StandardCharsets.UTF_8),
              "Content-Type",
              "application/x-www-form-urlencoded; charset=utf-8");
      String refresh = json(password).get("refresh_token").asText();
      HttpResponse<byte[]> refreshed =
          http.send(
              "POST",
              "/token",
              ("grant_type=refresh_token&refresh_token="
                      + refresh
                      + "&service=testkit&scope="
                      + scope)
                  .getBytes(StandardCharsets.UTF_8),
              "Content-Type",
              "application/x-www-form-urlencoded");
      String token = json(refreshed).get("access_token").asText();

      assertThat(password.statusCode()).isEqualTo(200);
      assertThat(refreshed.statusCode()).isEqualTo(200);
      assertThat(json(refreshed).get("scope").asText()).isEqualTo("repository:team/app:pull,push");
      assertThat(
              http.send(
                      "POST",
                      "/v2/team/app/blobs/uploads/",
                      null,
                      "Authorization",
                      "Bearer " + token)
                  .statusCode())
          .isEqualTo(202);
    }
  }

  @Test
  void oauthRejectsWrongPasswordUnknownRefreshTokenAndOtherGrants() throws IOException {
    try (TestRegistry registry = TestRegistry.builder().bearerAuth("bob", "pw").start()) {
      Http http = new Http(registry);

      HttpResponse<byte[]> wrong =
          http.send(
              "POST",
              "/token",
              "grant_type=password&username=bob&password=no&scope=x"
                  .getBytes(StandardCharsets.UTF_8));
      HttpResponse<byte[]> unknown =
          http.send(
              "POST",
              "/token",
              "grant_type=refresh_token&refresh_token=forged".getBytes(StandardCharsets.UTF_8));
      HttpResponse<byte[]> other =
          http.send(
              "POST", "/token", "grant_type=client_credentials".getBytes(StandardCharsets.UTF_8));

      assertThat(wrong.statusCode()).isEqualTo(401);
      assertThat(Http.text(wrong)).contains("invalid_grant");
      assertThat(unknown.statusCode()).isEqualTo(401);
      assertThat(other.statusCode()).isEqualTo(400);
      assertThat(Http.text(other)).contains("unsupported_grant_type");
    }
  }

  @Test
  void invalidatedTokensAreRejected() throws IOException {
    try (TestRegistry registry = TestRegistry.builder().bearerAuth().start()) {
      Http http = new Http(registry);
      String bearer = "Bearer " + json(http.get("/token")).get("token").asText();
      int before = http.get("/v2/", "Authorization", bearer).statusCode();

      registry.invalidateTokens();

      assertThat(before).isEqualTo(200);
      assertThat(http.get("/v2/", "Authorization", bearer).statusCode()).isEqualTo(401);
    }
  }

  @Test
  void tokenEndpointDoesNotExistWithoutBearerAuth() throws IOException {
    try (TestRegistry registry = TestRegistry.start()) {
      assertThat(new Http(registry).get("/token").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void mountNeedsPullAccessToTheSourceRepository() throws IOException {
    try (TestRegistry registry = TestRegistry.builder().bearerAuth().start()) {
      Blob blob = Blob.of(new byte[] {4, 5, 6});
      registry.pushBlob("team/source", blob);
      Http http = new Http(registry);
      String targetOnly =
          json(http.get("/token?scope=repository:team/target:pull,push")).get("token").asText();
      String both =
          json(http.get(
                  "/token?scope=repository:team/target:pull,push&scope=repository:team/source:pull"))
              .get("token")
              .asText();
      String mount = "/v2/team/target/blobs/uploads/?mount=" + blob.digest() + "&from=team/source";

      HttpResponse<byte[]> refused =
          http.send("POST", mount, null, "Authorization", "Bearer " + targetOnly);
      HttpResponse<byte[]> mounted =
          http.send("POST", mount, null, "Authorization", "Bearer " + both);

      assertThat(refused.statusCode()).isEqualTo(202); // an ordinary upload session instead
      assertThat(mounted.statusCode()).isEqualTo(201);
      assertThat(registry.hasBlob("team/target", blob.digest())).isTrue();
    }
  }
}
