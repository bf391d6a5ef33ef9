package io.gim.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gim.client.GimClient;
import io.gim.store.redis.RedisStores;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Three quickstart servers as separate JVMs, one cluster: MariaDB (a database of the test's own)
 * for the messages, a private Redis for presence and rooms, gRPC node links between them. SDK
 * clients know all three nodes. Faults: a node killed with SIGKILL during a send storm (its clients
 * move to the others, senders retry with the same client_msg_id, every receiver ends with every
 * acknowledged message exactly once, in seq order); a node frozen with SIGSTOP (nobody else waits
 * for it); Redis losing everything under the cluster (sends go on, routes come back).
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ClusterFaultsIT {
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
              String.valueOf(freePort()),
              "--node-ttl", // a node that stops its heartbeats drops out within 3 s
              "3s");
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
    List<TextInbox> inboxes = new ArrayList<>();
    List<GimClient> senders = new ArrayList<>();
    for (int i = 1; i <= pairs; i++) {
      senders.add(client(i, new TextInbox()));
      TextInbox inbox = new TextInbox();
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
      TextInbox inbox = inboxes.get(p);
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

  @Test
  void aFrozenNodeHoldsUpNoSendAndNoDeliveryOfTheOthers() throws Exception {
    List<GimClient> senders = new ArrayList<>();
    List<GimClient> receivers = new ArrayList<>();
    List<TextInbox> inboxes = new ArrayList<>();
    for (int i = 1; i <= 8; i++) {
      senders.add(client(i, new TextInbox()));
      TextInbox inbox = new TextInbox();
      inboxes.add(inbox);
      receivers.add(client(100 + i, inbox));
    }
    // Freeze a node that holds some receiver and not every sender.
    InetSocketAddress frozen = null;
    for (InetSocketAddress node : addresses) {
      boolean hasReceiver = receivers.stream().anyMatch(c -> at(c, node));
      boolean freeSender = senders.stream().anyMatch(c -> !at(c, node));
      if (hasReceiver && freeSender) {
        frozen = node;
        break;
      }
    }
    assertThat(frozen).as("a node with a receiver and without every sender").isNotNull();
    InetSocketAddress paused = frozen;
    JarProcess node = nodes.get(addresses.indexOf(paused));
    List<String> sent = new ArrayList<>();
    node.signal("STOP");
    try {
      for (GimClient sender : senders) {
        if (at(sender, paused)) {
          continue;
        }
        for (int r = 0; r < receivers.size(); r++) {
          String text = "during the freeze " + senders.indexOf(sender) + "->" + r;
          // Acknowledged once stored: the push to the frozen node runs on after the ack.
          sender.sendToUser(101 + r, bytes(text), text).get(30, TimeUnit.SECONDS);
          sent.add(text);
        }
      }
      // Receivers on the live nodes get everything live while the frozen one still sleeps.
      for (int r = 0; r < receivers.size(); r++) {
        if (at(receivers.get(r), paused)) {
          continue;
        }
        int receiver = r;
        List<String> theirs = sent.stream().filter(t -> t.endsWith("->" + receiver)).toList();
        await()
            .atMost(WAIT)
            .untilAsserted(
                () ->
                    assertThat(inboxes.get(receiver).texts)
                        .containsExactlyInAnyOrderElementsOf(theirs));
      }
    } finally {
      node.signal("CONT");
    }
    // Thawed, the frozen node's receivers get what they missed, once (live, or by sync).
    for (int r = 0; r < receivers.size(); r++) {
      if (at(receivers.get(r), paused)) {
        int receiver = r;
        List<String> theirs = sent.stream().filter(t -> t.endsWith("->" + receiver)).toList();
        await()
            .atMost(WAIT)
            .untilAsserted(
                () ->
                    assertThat(inboxes.get(receiver).texts)
                        .containsExactlyInAnyOrderElementsOf(theirs));
      }
    }
  }

  @Test
  void sendsGoOnWhileRedisLosesEverythingAndCrossNodePushesComeBack() throws Exception {
    TextInbox bobInbox = new TextInbox();
    GimClient alice = client(1, new TextInbox());
    GimClient bob = client(2, bobInbox);
    alice.sendToUser(2, bytes("before"), "before").get(30, TimeUnit.SECONDS);
    await().atMost(WAIT).untilAsserted(() -> assertThat(bobInbox.texts).contains("before"));

    redis.restart(); // no persistence: routes, nodes and the room bus's state are gone

    // Messages are in MariaDB: sending does not need Redis.
    alice.sendToUser(2, bytes("while redis was away"), "away").get(30, TimeUnit.SECONDS);
    // The nodes' heartbeats put every route back; then a push reaches bob wherever he is, and the
    // gap makes his device sync what it missed.
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> assertThat(redis.command("EXISTS", "gim:{u:2}:routes")).isEqualTo(":1"));
    alice.sendToUser(2, bytes("after"), "after").get(30, TimeUnit.SECONDS);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(bobInbox.texts)
                    .containsExactly("before", "while redis was away", "after"));
    assertThat(bob.isConnected()).isTrue();
  }

  @Test
  void usersWithDevicesOnEveryNodeGetEachMessageOnceOnEveryDevice() throws Exception {
    // Users 1-3 (members of the demo group 1), each with a device on each node.
    List<List<TextInbox>> devices = new ArrayList<>();
    List<List<GimClient>> clientsOf = new ArrayList<>();
    for (int user = 1; user <= 3; user++) {
      List<TextInbox> inboxes = new ArrayList<>();
      List<GimClient> theirs = new ArrayList<>();
      for (int node = 0; node < 3; node++) {
        TextInbox inbox = new TextInbox();
        inboxes.add(inbox);
        theirs.add(clientOn(node, user, node + 1, inbox));
      }
      devices.add(inboxes);
      clientsOf.add(theirs);
    }
    for (List<GimClient> theirs : clientsOf) {
      for (GimClient c : theirs) {
        c.subscribeRoom(7).join();
      }
    }

    GimClient alice = clientsOf.get(0).get(0); // user 1, on node 0
    alice.sendToUser(2, bytes("1:1 to user 2"), "one").get(30, TimeUnit.SECONDS);
    alice.sendToGroup(1, bytes("to the group"), "group").get(30, TimeUnit.SECONDS);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              // Every device of user 2 on every node, the sender's other devices too.
              for (TextInbox device : devices.get(1)) {
                assertThat(device.texts).containsExactly("1:1 to user 2", "to the group");
              }
              for (TextInbox device : devices.get(2)) {
                assertThat(device.texts).containsExactly("to the group");
              }
              assertThat(devices.get(0).get(1).texts)
                  .containsExactly("1:1 to user 2", "to the group");
            });
    // The room message reaches the room's subscribers on every node but the sending device.
    clientsOf.get(2).get(2).sendToRoom(7, bytes("to the room"), null).get(30, TimeUnit.SECONDS);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              for (int user = 0; user < 3; user++) {
                for (int node = 0; node < 3; node++) {
                  long rooms =
                      devices.get(user).get(node).texts.stream()
                          .filter("to the room"::equals)
                          .count();
                  assertThat(rooms).isEqualTo(user == 2 && node == 2 ? 0 : 1);
                }
              }
            });
    // Sync agrees with the pushes: every device of user 2 is at the same seq, the inbox's last.
    long seq = clientsOf.get(1).get(0).lastDeliveredSeq();
    assertThat(seq).isPositive();
    for (GimClient c : clientsOf.get(1)) {
      assertThat(c.lastDeliveredSeq()).isEqualTo(seq);
    }
  }

  /** A client of {@code user}'s device {@code device} that knows only node {@code node}. */
  private GimClient clientOn(int node, long user, long device, TextInbox inbox) {
    GimClient client =
        GimClient.builder()
            .tcp(List.of(addresses.get(node)))
            .credentials(user, device, tokens.mint(user, device, Duration.ofHours(1)))
            .listener(inbox)
            .build();
    clients.add(client);
    client.connect().join();
    return client;
  }

  @Test
  void aKilledNodesRoutesDropOutOfLookupsWithinTheNodeTtl() throws Exception {
    List<GimClient> users = new ArrayList<>();
    for (int node = 0; node < 3; node++) {
      users.add(clientOn(node, 50 + node, 1, new TextInbox()));
    }
    try (RedisStores view = RedisStores.of(redis.uri())) {
      List<Long> ids = List.of(50L, 51L, 52L);
      await()
          .atMost(WAIT)
          .untilAsserted(
              () ->
                  assertThat(view.presence().lookup(ids).toCompletableFuture().join())
                      .containsOnlyKeys(ids));

      nodes.get(1).kill();

      // Its heartbeats stop: lookups (hence pushes) leave it out long before its routes expire.
      await()
          .atMost(WAIT)
          .untilAsserted(
              () ->
                  assertThat(view.presence().lookup(ids).toCompletableFuture().join())
                      .containsOnlyKeys(50L, 52L));
      assertThat(view.presence().liveNodes().toCompletableFuture().join()).hasSize(2);
    }
  }

  private static boolean at(GimClient client, InetSocketAddress node) {
    return client.connectedAddress().map(node::equals).orElse(false);
  }

  private GimClient client(long user, TextInbox inbox) {
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
}
