package io.gim.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gim.client.GimClient;
import io.gim.testkit.LocalRedis;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shaded jar's server with {@code --redis}, on a private {@code redis-server}, and the Java SDK
 * as its clients: a chat works, and when Redis loses everything mid-conversation the client notices
 * the new epoch, resyncs, and gets every message sent after the loss exactly once.
 */
class QuickstartRedisIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String SECRET = "quickstart-redis-it-secret";
  private static final Pattern LISTENING =
      Pattern.compile("GIM quickstart listening: tcp=127\\.0\\.0\\.1:(\\d+) ws=.*");

  private final HmacTokens tokens = new HmacTokens(SECRET, Clock.systemUTC());
  private final List<AutoCloseable> opened = new ArrayList<>();
  private LocalRedis redis;
  private JarProcess server;
  private int tcpPort;

  @BeforeEach
  void startRedisAndServer() throws Exception {
    redis = LocalRedis.start();
    startServer();
  }

  private void startServer() throws Exception {
    server =
        JarProcess.start(
            "server",
            "server",
            "--tcp-port",
            "0",
            "--ws-port",
            "0",
            "--secret",
            SECRET,
            "--redis",
            redis.uri());
    Matcher m =
        LISTENING.matcher(server.awaitStdout(line -> LISTENING.matcher(line).matches(), WAIT));
    assertThat(m.matches()).isTrue();
    tcpPort = Integer.parseInt(m.group(1));
    assertThat(server.awaitStdout(line -> line.startsWith("Messages, groups"), WAIT))
        .contains("are in Redis at " + redis.uri());
  }

  @AfterEach
  void stopEverything() throws Exception {
    for (int i = opened.size() - 1; i >= 0; i--) {
      opened.get(i).close();
    }
    server.stop();
    redis.close();
  }

  @Test
  void aClientResyncsFromTheNewEpochWhenRedisLosesEverythingAndMissesNothingSentAfter()
      throws Exception {
    TextInbox alice = new TextInbox();
    GimClient aliceClient = client(1, 1, alice);
    GimClient bob = client(2, 1, new TextInbox());
    for (int i = 1; i <= 3; i++) {
      bob.sendToUser(1, text("before " + i), "before-" + i).get();
    }
    await().atMost(WAIT).untilAsserted(() -> assertThat(alice.texts()).hasSize(3));
    long epochBefore = aliceClient.cursor().epoch().orElseThrow();

    redis.flushAll(); // as a Redis without persistence that restarted would come back

    for (int i = 1; i <= 5; i++) {
      bob.sendToUser(1, text("after " + i), "after-" + i).get();
    }
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(alice.texts())
                    .containsExactly(
                        "before 1",
                        "before 2",
                        "before 3",
                        "after 1",
                        "after 2",
                        "after 3",
                        "after 4",
                        "after 5"));
    assertThat(aliceClient.cursor().epoch().orElseThrow()).isNotEqualTo(epochBefore);
    assertThat(aliceClient.cursor().seq()).isEqualTo(5); // the new space's seqs: 1 to 5

    // The server's node heartbeat finds its node gone and registers its connections again.
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> assertThat(redis.command("EXISTS", "gim:{u:1}:routes")).isEqualTo(":1"));
  }

  @Test
  void aRestartedServerOnTheSameRedisKeepsTheMessages() throws Exception {
    GimClient bob = client(2, 1, new TextInbox());
    bob.sendToUser(1, text("kept"), "kept-1").get();
    bob.close();
    server.stop();
    startServer(); // same Redis, new server process

    TextInbox alice = new TextInbox();
    client(1, 1, alice);

    await().atMost(WAIT).untilAsserted(() -> assertThat(alice.texts()).containsExactly("kept"));
  }

  private GimClient client(long user, long device, TextInbox inbox) {
    GimClient client =
        GimClient.builder()
            .tcp("127.0.0.1", tcpPort)
            .credentials(user, device, tokens.mint(user, device, Duration.ofHours(1)))
            .listener(inbox)
            .build();
    opened.add(client);
    client.connect().join();
    return client;
  }

  private static byte[] text(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
