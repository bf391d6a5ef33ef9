package io.gim.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.gim.protocol.PacketCommand;
import io.gim.protocol.Reply;
import io.gim.protocol.SendRequest;
import io.gim.testkit.RecordingClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The jar's server with {@code --metrics-port}: what a Prometheus scraper and a probe see. */
class QuickstartMetricsIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String SECRET = "quickstart-metrics-it-secret";
  private static final Pattern LISTENING =
      Pattern.compile("GIM quickstart listening: tcp=127\\.0\\.0\\.1:(\\d+) ws=.*");
  private static final Pattern METRICS =
      Pattern.compile("Metrics: (http://127\\.0\\.0\\.1:\\d+)/metrics .*");

  private final HttpClient http = HttpClient.newHttpClient();
  private JarProcess server;

  @AfterEach
  void stop() throws InterruptedException {
    if (server != null) {
      server.stop();
    }
  }

  @Test
  void servesHealthAndPrometheusMetricsOfWhatClientsDid() throws Exception {
    server =
        JarProcess.start(
            "metrics",
            "server",
            "--in-memory",
            "--tcp-port",
            "0",
            "--ws-port",
            "0",
            "--metrics-port",
            "0",
            "--secret",
            SECRET);
    Matcher listening = LISTENING.matcher(server.awaitStdout(l -> l.startsWith("GIM "), WAIT));
    assertThat(listening.matches()).isTrue();
    int port = Integer.parseInt(listening.group(1));
    Matcher metrics = METRICS.matcher(server.awaitStdout(l -> l.startsWith("Metrics: "), WAIT));
    assertThat(metrics.matches()).isTrue();
    String base = metrics.group(1);

    HttpResponse<String> health = get(base + "/health");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).isEqualTo("{\"status\":\"UP\"}");

    String token = new HmacTokens(SECRET, Clock.systemUTC()).mint(4, 1, Duration.ofHours(1));
    try (RecordingClient client = RecordingClient.tcp("127.0.0.1", port)) {
      client.assertSignedIn(4, 1, token);
      Reply sent =
          client.call(
              PacketCommand.PC_SEND,
              SendRequest.newBuilder()
                  .setToUserId(5)
                  .setContent(ByteString.copyFromUtf8("hi"))
                  .build());
      assertThat(sent.getCode()).isZero();
      String scrape = get(base + "/metrics").body();
      assertThat(scrape)
          .contains("gim_signins_total{result=\"allowed\"} 1.0")
          .contains("gim_connections{transport=\"tcp\"} 1.0")
          .contains("gim_sessions 1.0")
          .contains("gim_requests_total{code=\"0\",command=\"send\"} 1.0")
          .contains("gim_store_calls_seconds_count{op=\"append\",outcome=\"ok\"} 1");
    }
    assertThat(get(base + "/health").statusCode()).isEqualTo(200);
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(WAIT).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
