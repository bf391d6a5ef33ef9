package io.gim.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The browser chat's HTTP port: files from the jar's /web only, tokens only when in development.
 */
class WebEndpointIT {
  private static final String SECRET = "web-endpoint-it-secret";

  private final HttpClient http = HttpClient.newHttpClient();
  private WebEndpoint web;

  @AfterEach
  void close() {
    if (web != null) {
      web.close();
    }
  }

  @Test
  void servesThePageTheClientAndTheWebSocketAddress() throws Exception {
    web = WebEndpoint.start("127.0.0.1", 0, 8123, "/ws", Optional.empty());

    HttpResponse<String> page = get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(page.body()).contains("<script type=\"module\" src=\"chat.js\">");
    assertThat(get("/gim-client.js").headers().firstValue("Content-Type"))
        .hasValue("text/javascript; charset=utf-8");
    assertThat(get("/config.json").body())
        .isEqualTo("{\"wsPort\":8123,\"wsPath\":\"/ws\",\"devTokens\":false}");
  }

  @Test
  void servesNothingOutsideItsOwnFiles() throws Exception {
    web = WebEndpoint.start("127.0.0.1", 0, 8123, "/ws", Optional.empty());

    for (String path :
        new String[] {
          "/../simplelogger.properties",
          "/%2e%2e/simplelogger.properties",
          "/simplelogger.properties",
          "/io/gim/examples/quickstart/Main.class",
          "/missing.js",
          "/.hidden.js"
        }) {
      assertThat(get(path).statusCode()).as(path).isEqualTo(404);
    }
  }

  @Test
  void mintsTokensOnlyWithTheDevelopmentSecret() throws Exception {
    HmacTokens tokens = new HmacTokens(SECRET, Clock.systemUTC());
    web = WebEndpoint.start("127.0.0.1", 0, 8123, "/ws", Optional.of(tokens));

    HttpResponse<String> minted = get("/dev-token?user=3&device=2");
    assertThat(minted.statusCode()).isEqualTo(200);
    String token = minted.body().replaceAll("^\\{\"token\":\"(.*)\"}$", "$1");
    assertThat(tokens.check(3, 2, token)).isEqualTo(TokenCheck.VALID);
    assertThat(get("/dev-token?user=0&device=2").statusCode()).isEqualTo(400);
    assertThat(get("/dev-token?user=x").statusCode()).isEqualTo(400);
    assertThat(get("/config.json").body()).contains("\"devTokens\":true");

    web.close();
    web = WebEndpoint.start("127.0.0.1", 0, 8123, "/ws", Optional.empty());
    assertThat(get("/dev-token?user=3&device=2").statusCode()).isEqualTo(404);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web.port() + path))
            .timeout(Duration.ofSeconds(10))
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
