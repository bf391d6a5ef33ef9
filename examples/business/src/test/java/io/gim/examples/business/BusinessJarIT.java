package io.gim.examples.business;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README walkthrough on the shaded jar: a server process and the CLI against it. */
class BusinessJarIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Pattern LISTENING =
      Pattern.compile(
          "GIM business listening: tcp=127\\.0\\.0\\.1:(\\d+) ws=ws://127\\.0\\.0\\.1:(\\d+)/ws"
              + " ext-grpc=127\\.0\\.0\\.1:(\\d+) int-grpc=127\\.0\\.0\\.1:(\\d+)");
  private static final Pattern SIGNED_IN =
      Pattern.compile("export GIM_USER=(\\d+) GIM_DEVICE=(\\d+) GIM_TOKEN=(\\S+)(  # a new user)?");

  @TempDir Path data;
  private final List<Jar> processes = new ArrayList<>();
  private String ext;

  @AfterEach
  void stopAll() throws InterruptedException {
    for (Jar j : processes) {
      j.stop();
    }
  }

  private Jar start(String name, Map<String, String> env, String... args) throws Exception {
    Jar j = Jar.start(name, env, List.of(args));
    processes.add(j);
    return j;
  }

  /** Runs one CLI command to its end; returns its stdout, asserting exit status {@code status}. */
  private String cli(Map<String, String> env, int status, String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--server", ext));
    Jar j = start(args[0], env, all.toArray(String[]::new));
    assertThat(j.awaitExit(WAIT)).as(j.transcript()).isEqualTo(status);
    return status == 0 ? j.awaitStdout(l -> !l.isBlank(), WAIT) : j.stderr();
  }

  private Map<String, String> signIn(String phone) throws Exception {
    Matcher m = SIGNED_IN.matcher(cli(Map.of(), 0, "signin", "--phone", phone));
    assertThat(m.matches()).isTrue();
    Map<String, String> env = new HashMap<>();
    env.put("GIM_USER", m.group(1));
    env.put("GIM_DEVICE", m.group(2));
    env.put("GIM_TOKEN", m.group(3));
    return env;
  }

  @Test
  void theWalkthroughSignsInBefriendsAndSendsAndCtrlCStopsTheServer() throws Exception {
    Jar server =
        start(
            "server",
            Map.of(),
            "server",
            "--data",
            data.toString(),
            "--tcp",
            "0",
            "--ws",
            "0",
            "--ext-grpc",
            "0",
            "--int-grpc",
            "0",
            "--metrics-port",
            "0");
    Matcher m = LISTENING.matcher(server.awaitStdout(l -> LISTENING.matcher(l).matches(), WAIT));
    assertThat(m.matches()).isTrue();
    ext = "127.0.0.1:" + m.group(3);
    String admin =
        server
            .awaitStdout(l -> l.startsWith("Metrics: "), WAIT)
            .replaceFirst("Metrics: (http://[^/]+)/metrics .*", "$1");
    assertThat(get(admin + "/health")).isEqualTo("200 {\"status\":\"UP\"}");

    Map<String, String> ann = signIn("13800000001");
    Map<String, String> bob = signIn("13800000002");
    cli(ann, 0, "update-user", "--nickname", "ann");

    assertThat(cli(ann, 0, "add-friend", "--friend", bob.get("GIM_USER")))
        .isEqualTo("friend request sent to " + bob.get("GIM_USER"));
    assertThat(cli(bob, 0, "agree", "--from", ann.get("GIM_USER")))
        .isEqualTo("you and " + ann.get("GIM_USER") + " are friends");
    assertThat(cli(bob, 0, "friends"))
        .startsWith("friend " + ann.get("GIM_USER") + ": nickname=ann");
    assertThat(cli(ann, 0, "send", "--to", bob.get("GIM_USER"), "--text", "hello"))
        .matches("sent: message \\d+");
    assertThat(cli(ann, 1, "add-friend", "--friend", bob.get("GIM_USER")))
        .contains("add-friend: 10211 already friends");
    assertThat(cli(Map.of(), 1, "signin", "--phone", "13800000003", "--code", "9999"))
        .contains("signin: 10300 wrong verification code");
    assertThat(cli(Map.of(), 2, "friends")).contains("--user: required");

    // What a scraper sees: the gRPC calls just made, by method and code, and the engine's meters.
    assertThat(get(admin + "/metrics"))
        .startsWith("200 ")
        .contains(
            "gim_grpc_calls_seconds_count{code=\"0\",method=\"business.FriendExtService/SendMessage\",status=\"OK\"}"
                + " 1")
        .contains(
            "gim_grpc_calls_seconds_count{code=\"10300\",method=\"business.UserExtService/SignIn\",status=\"INTERNAL\"}"
                + " 1")
        .contains("gim_messages_accepted_total{source=\"host\",target=\"users\"}")
        .contains("hikaricp_connections_max{pool=\"biz-jdbc-pool\"}");
    assertThat(server.stop()).isIn(0, 143);
  }

  /** {@code "<status> <body>"} of a GET. */
  private static String get(String url) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url)).timeout(WAIT).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    return r.statusCode() + " " + r.body();
  }
}
