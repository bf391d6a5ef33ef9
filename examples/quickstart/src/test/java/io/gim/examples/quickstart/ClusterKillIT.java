package io.gim.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gim.client.GimClient;
import io.gim.client.MessageListener;
import io.gim.client.ReceivedMessage;
import io.gim.testkit.LocalRedis;
import io.gim.testkit.Services;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Three quickstart servers as separate JVMs, one cluster: MariaDB (a database of the test's own)
 * for the messages, a private Redis for presence and rooms, gRPC node links between them. SDK
 * clients know all three nodes. During a send storm one node is killed with SIGKILL: its clients
 * move to the others, senders retry unacknowledged sends with the same client_msg_id, and in the
 * end every receiver has every acknowledged message exactly once, in seq order.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ClusterKillIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String SECRET = "cluster-kill-it-secret";
  private static final Pattern LISTENING =
      Pattern.compile("GIM quickstart listening: tcp=127\\.0\\.0\\.1:(\\d+) ws=.*");
  private static final String MARIADB = "jdbc:mariadb://127.0.0.1:3306/";

  private final HmacTokens tokens = new HmacTokens(SECRET, Clock.systemUTC());
  private final List<JarProcess> nodes = new ArrayList<>();
  private final List<InetSocketAddress> addresses = new ArrayList<>();
  private final List<GimClient> clients = new ArrayList<>();
  private LocalRedis redis;
  private String database;

  @BeforeEach
  void startCluster() throws Exception {
    database = "gim_cluster_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 8);
    try (Connection c = DriverManager.getConnection(MARIADB + "test", "root", "");
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + database);
    } catch (SQLException e) {
      throw Services.missing("MariaDB", "is not reachable at " + MARIADB + " (" + e + ")");
    }
    redis = LocalRedis.start();
    for (int i = 0; i < 3; i++) {
      JarProcess node =
          JarProcess.start(
              "node-" + i,
              "server",
              "--tcp-port",
              "0",
              "--ws-port",
              "0",
              "--secret",
              SECRET,
              "--jdbc",
              MARIADB + database,
              "--jdbc-user",
              "root",
              "--redis",
              redis.uri(),
              "--link-port",
              String.valueOf(freePort()));
      nodes.add(node);
      Matcher m =
          LISTENING.matcher(node.awaitStdout(line -> LISTENING.matcher(line).matches(), WAIT));
      assertThat(m.matches()).isTrue();
      addresses.add(new InetSocketAddress("127.0.0.1", Integer.parseInt(m.group(1))));
    }
  }

  @AfterEach
  void stopCluster() throws Exception {
    for (GimClient c : clients) {
      c.close();
    }
    for (JarProcess n : nodes) {
      n.stop();
    }
    if (redis != null) {
      redis.close();
    }
    try (Connection c = DriverManager.getConnection(MARIADB + "test", "root", "");
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + database);
    }
  }

  @ParameterizedTest(name = "killed after {0} of 150 sends")
  @ValueSource(ints = {20, 110})
  void killingANodeMidStormLosesAndDuplicatesNothingAcknowledged(int killAt) throws Exception {
    int pairs = 4; // senders 1..4 send to receivers 11..14
    int perSender = 150;
    List<Inbox> inboxes = new ArrayList<>();
    List<GimClient> senders = new ArrayList<>();
    for (int i = 1; i <= pairs; i++) {
      senders.add(client(i, new Inbox()));
      Inbox inbox = new Inbox();
      inboxes.add(inbox);
      client(10 + i, inbox);
    }
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    AtomicBoolean killed = new AtomicBoolean();
    java.util.concurrent.atomic.AtomicInteger retries =
        new java.util.concurrent.atomic.AtomicInteger();
    // The node killed is the one the first sender is on: a sender fails over for certain.
    InetSocketAddress victim = senders.get(0).connectedAddress().orElseThrow();
    int victimIndex = addresses.indexOf(victim);
    assertThat(victimIndex).isNotNegative();

    ExecutorService pool = Executors.newFixedThreadPool(pairs);
    try {
      List<Future<?>> work = new ArrayList<>();
      for (int p = 0; p < pairs; p++) {
        GimClient sender = senders.get(p);
        long to = 11 + p;
        int pair = p;
        work.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < perSender; i++) {
                    String text = "m" + pair + "-" + i;
                    if (pair == 0 && i == killAt && killed.compareAndSet(false, true)) {
                      nodes.get(victimIndex).kill(); // SIGKILL, mid-storm
                    }
                    // Retry with the same client_msg_id until acknowledged.
                    while (true) {
                      try {
                        sender.sendToUser(to, bytes(text), text).get(10, TimeUnit.SECONDS);
                        acknowledged.add(text);
                        break;
                      } catch (Exception e) {
                        retries.incrementAndGet();
                        Thread.sleep(50);
                      }
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : work) {
        f.get(180, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    System.out.printf(
        "killed node %d (%s); %d sends retried; the first sender is now on %s%n",
        victimIndex, victim, retries.get(), senders.get(0).connectedAddress());
    assertThat(killed).isTrue();
    assertThat(senders.get(0).connectedAddress()).isPresent().get().isNotEqualTo(victim);
    assertThat(acknowledged).hasSize(pairs * perSender);
    for (int p = 0; p < pairs; p++) {
      Inbox inbox = inboxes.get(p);
      int pair = p;
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < perSender; i++) {
        expected.add("m" + pair + "-" + i);
      }
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> assertThat(inbox.texts).containsExactlyInAnyOrderElementsOf(expected));
      assertThat(inbox.seqs).isSorted().doesNotHaveDuplicates();
    }
  }

  private GimClient client(long user, Inbox inbox) {
    GimClient client =
        GimClient.builder()
            .tcp(addresses)
            .credentials(user, 1, tokens.mint(user, 1, Duration.ofHours(1)))
            .reconnect(Duration.ofMillis(50), Duration.ofSeconds(1))
            .listener(inbox)
            .build();
    clients.add(client);
    client.connect().join();
    return client;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** What one device got from its inbox, in delivery order. */
  private static final class Inbox implements MessageListener {
    final List<String> texts = new CopyOnWriteArrayList<>();
    final List<Long> seqs = new CopyOnWriteArrayList<>();

    @Override
    public void onMessage(ReceivedMessage message) {
      texts.add(new String(message.content(), StandardCharsets.UTF_8));
      seqs.add(message.seq());
    }
  }
}
