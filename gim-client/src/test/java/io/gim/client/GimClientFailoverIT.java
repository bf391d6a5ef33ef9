package io.gim.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gim.protocol.Packet;
import io.gim.protocol.PacketCommand;
import io.gim.protocol.SubscribeRoomRequest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A client given several servers, against scripted servers on loopback. */
class GimClientFailoverIT {

  private final List<ScriptedServer> servers = new ArrayList<>();
  private final List<GimClient> clients = new ArrayList<>();
  private final Recorder listener = new Recorder();

  @AfterEach
  void closeAll() {
    clients.forEach(GimClient::close);
    servers.forEach(ScriptedServer::close);
  }

  @Test
  void movesToAnotherServerWhenItsServerDiesAndSyncsFromItsCursor() throws Exception {
    startServers(3);
    servers.forEach(s -> s.store(1)); // one shared store behind every node
    GimClient client = newClient(builder(addresses()));
    client.connect().join();
    client.subscribeRoom(7).join();
    ScriptedServer first = connectedServer(client);
    assertThat(listener.seqs).containsExactly(1L);

    servers.stream().filter(s -> s != first).forEach(s -> s.store(2)); // stored while away
    first.close();

    await().until(() -> client.isConnected() && connectedServer(client) != first);
    ScriptedServer second = connectedServer(client);
    await().untilAsserted(() -> assertThat(listener.seqs).containsExactly(1L, 2L));
    assertThat(commands(second))
        .startsWith(PacketCommand.PC_SIGN_IN)
        .contains(PacketCommand.PC_SYNC, PacketCommand.PC_SUBSCRIBE_ROOM);
    assertThat(second.syncs.get(0).getSeq()).isEqualTo(1); // the last delivered seq
    assertThat(second.syncs.get(0).getFromStart()).isFalse();
    assertThat(subscribedRooms(second)).containsExactly(7L);
    assertThat(listener.disconnects).hasValue(1);
    assertThat(listener.connected).hasValue(2);
  }

  @Test
  void spreadsFirstConnectionsOverTheServers() {
    startServers(3);
    try (ClientResources shared = ClientResources.create(2)) {
      List<CompletableFuture<Void>> connects = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        GimClient client =
            GimClient.builder()
                .tcp(addresses())
                .credentials(42, i + 1, "secret")
                .listener(message -> {})
                .resources(shared)
                .build();
        clients.add(client);
        connects.add(client.connect());
      }
      CompletableFuture.allOf(connects.toArray(CompletableFuture[]::new)).join();

      Set<InetSocketAddress> used = new HashSet<>();
      clients.forEach(c -> used.add(c.connectedAddress().orElseThrow()));
      // Each client picks its first server uniformly at random; all 30 pick the same one with
      // probability 3 * (1/3)^30 = 3^-29, about 1.5e-14: this cannot fail by chance in practice.
      assertThat(used).hasSizeGreaterThanOrEqualTo(2);
      clients.forEach(GimClient::close); // before the shared threads stop
    }
  }

  @Test
  void aDeadServerCostsOneQuickAttemptOnTheWayToTheNextLiveOne() throws Exception {
    startServers(3);
    ScriptedServer a = servers.get(0);
    ScriptedServer b = servers.get(1);
    ScriptedServer c = servers.get(2);
    List<InetSocketAddress> list = List.of(address(a), deadAddress(), address(b), address(c));
    // A backoff of an hour: were one owed before the round is over, the client would not return.
    GimClient client =
        newClient(builder(list).firstServer(0).reconnect(Duration.ofHours(1), Duration.ofHours(1)));
    client.connect().join();
    assertThat(client.connectedAddress()).contains(address(a));

    a.close();

    await().until(() -> client.connectedAddress().equals(Optional.of(address(b))));
    assertThat(listener.disconnects).hasValue(1);
    // In list order: after a, the dead address, then b; c was never needed.
    assertThat(b.connections).hasSize(1);
    assertThat(c.connections).isEmpty();
  }

  @Test
  void connectSkipsADeadFirstServerWithoutBackingOff() throws Exception {
    startServers(1);
    ScriptedServer live = servers.get(0);
    GimClient client =
        newClient(
            builder(List.of(deadAddress(), address(live)))
                .firstServer(0)
                .reconnect(Duration.ofHours(1), Duration.ofHours(1)));

    client.connect().join();

    assertThat(client.connectedAddress()).contains(address(live));
    assertThat(live.connections).hasSize(1);
  }

  @Test
  void connectFailsNamingEveryServerWhenAllAreDown() throws Exception {
    List<InetSocketAddress> dead = List.of(deadAddress(), deadAddress(), deadAddress());
    GimClient client = newClient(builder(dead));

    assertThat(client.connect())
        .failsWithin(Duration.ofSeconds(10))
        .withThrowableThat()
        .havingCause()
        .isInstanceOfSatisfying(
            GimClientException.class,
            e -> {
              assertThat(e.code()).isEqualTo(GimClientException.NOT_CONNECTED);
              assertThat(e.getMessage()).contains("could not connect to any of 3 servers");
              dead.forEach(
                  address -> assertThat(e.getMessage()).contains("127.0.0.1:" + address.getPort()));
              assertThat(e.getMessage()).containsIgnoringCase("refused");
              assertThat(e.getSuppressed()).hasSize(2);
            });
    assertThat(client.isConnected()).isFalse();
    assertThat(client.connectedAddress()).isEmpty();
  }

  @Test
  void aRefusedSignInIsNotTriedOnTheOtherServers() {
    startServers(3);
    servers.forEach(s -> s.signInCode = 10000);
    GimClient client = newClient(builder(addresses()));

    assertThat(client.connect())
        .failsWithin(Duration.ofSeconds(5))
        .withThrowableThat()
        .havingCause()
        .isInstanceOfSatisfying(
            GimClientException.class, e -> assertThat(e.code()).isEqualTo(10000));
    assertThat(totalConnections()).isEqualTo(1);
  }

  @Test
  void aKickedOutClientReconnectsToNoServer() {
    startServers(3);
    GimClient client = newClient(builder(addresses()));
    client.connect().join();

    connectedServer(client).kickOut();

    await().until(() -> listener.kickedOutCode.get() == 10301);
    await().until(() -> !client.isConnected());
    // Held for a while, far longer than the 10..50 ms backoff would take to try every server.
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(3))
        .until(() -> totalConnections() == 1);
    assertThat(client.connectedAddress()).isEmpty();
  }

  // ---- helpers ----

  private void startServers(int n) {
    for (int i = 0; i < n; i++) {
      servers.add(new ScriptedServer());
    }
  }

  private List<InetSocketAddress> addresses() {
    return servers.stream().map(GimClientFailoverIT::address).toList();
  }

  private static InetSocketAddress address(ScriptedServer server) {
    return new InetSocketAddress("127.0.0.1", server.port());
  }

  /** A loopback port nobody listens on (just released, so nothing else took it yet). */
  private static InetSocketAddress deadAddress() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return new InetSocketAddress("127.0.0.1", socket.getLocalPort());
    }
  }

  private GimClientBuilder builder(List<InetSocketAddress> list) {
    return GimClient.builder()
        .tcp(list)
        .credentials(42, 1, "secret")
        .listener(listener)
        .reconnect(Duration.ofMillis(10), Duration.ofMillis(50));
  }

  private GimClient newClient(GimClientBuilder builder) {
    GimClient client = builder.build();
    clients.add(client);
    return client;
  }

  private ScriptedServer connectedServer(GimClient client) {
    InetSocketAddress now = client.connectedAddress().orElseThrow();
    return servers.stream().filter(s -> address(s).equals(now)).findFirst().orElseThrow();
  }

  private int totalConnections() {
    return servers.stream().mapToInt(s -> s.connections.size()).sum();
  }

  private static List<PacketCommand> commands(ScriptedServer server) {
    return server.received.stream().map(Packet::getCommand).toList();
  }

  private static List<Long> subscribedRooms(ScriptedServer server) {
    return server.received.stream()
        .filter(p -> p.getCommand() == PacketCommand.PC_SUBSCRIBE_ROOM)
        .map(
            p -> {
              try {
                return SubscribeRoomRequest.parseFrom(p.getContent()).getRoomId();
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            })
        .toList();
  }

  private static final class Recorder implements MessageListener {
    final List<Long> seqs = new CopyOnWriteArrayList<>();
    final AtomicInteger connected = new AtomicInteger();
    final AtomicInteger disconnects = new AtomicInteger();
    final AtomicInteger kickedOutCode = new AtomicInteger();

    @Override
    public void onMessage(ReceivedMessage message) {
      seqs.add(message.seq());
    }

    @Override
    public void onConnected() {
      connected.incrementAndGet();
    }

    @Override
    public void onDisconnected(Throwable cause) {
      disconnects.incrementAndGet();
    }

    @Override
    public void onKickedOut(int code, String message) {
      kickedOutCode.set(code);
    }
  }
}
