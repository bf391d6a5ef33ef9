package io.gim.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gim.client.GimClient;
import io.gim.client.MessageListener;
import io.gim.client.ReceivedMessage;
import io.gim.core.GimServer;
import io.gim.core.ListenSpec;
import io.gim.spi.AuthResult;
import io.gim.spi.cluster.Route;
import io.gim.testkit.LocalRedis;
import io.gim.transport.netty.GrpcNodeLink;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two servers on one Redis linked by gRPC node links, as two nodes of a deployment would be: a 1:1
 * message reaches the receiver's device on the other node live, a sign-in on one node kicks the
 * device's connection on the other, a room message or a broadcast reaches the subscribers on the
 * other through the Redis room bus, and the presence registry knows on which node each device is.
 */
class TwoServersOnOneRedisIT {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final List<AutoCloseable> opened = new ArrayList<>();
  private LocalRedis redis;
  private RedisStores lookups;
  private GimServer a;
  private GimServer b;

  private String nodeA;
  private String nodeB;

  @BeforeEach
  void startTwoNodes() throws Exception {
    redis = LocalRedis.start();
    a = node();
    b = node();
    nodeA = a.config().nodeId();
    nodeB = b.config().nodeId();
    lookups = RedisStores.of(redis.uri());
    opened.add(lookups);
  }

  @AfterEach
  void stopEverything() throws Exception {
    for (int i = opened.size() - 1; i >= 0; i--) {
      opened.get(i).close();
    }
    redis.close();
  }

  /** A node whose id is the address of its node link, as other nodes reach it. */
  private GimServer node() throws Exception {
    int linkPort;
    try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
      linkPort = probe.getLocalPort();
    }
    GrpcNodeLink link = GrpcNodeLink.builder().listen("127.0.0.1", linkPort).build();
    RedisStores stores = RedisStores.of(redis.uri());
    GimServer server =
        GimServer.builder()
            .nodeId("127.0.0.1:" + linkPort)
            .nodeLink(link)
            .auth((user, device, token) -> CompletableFuture.completedFuture(AuthResult.allowed()))
            .stores(stores)
            .presence(stores.presence())
            .roomBus(stores.roomBus())
            .tcp("127.0.0.1", 0)
            .build();
    server.start().join();
    opened.add(server); // closes its stores too
    return server;
  }

  private GimClient client(GimServer server, long user, long device, Inbox inbox) {
    GimClient client =
        GimClient.builder()
            .tcp("127.0.0.1", server.activePort(ListenSpec.Kind.TCP))
            .credentials(user, device, "any")
            .listener(inbox)
            .build();
    opened.add(client);
    client.connect().join();
    return client;
  }

  @Test
  void aMessageToAUserReachesTheirDeviceOnTheOtherNodeLive() {
    Inbox bobOnA = new Inbox();
    client(a, 2, 1, bobOnA);
    GimClient alice = client(b, 1, 1, new Inbox());

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              alice.sendToUser(2, text("hi bob"), null).join();
              assertThat(bobOnA.texts()).contains("hi bob");
            });
  }

  @Test
  void signingInOnTheOtherNodeKicksTheDevicesOlderConnection() {
    Inbox older = new Inbox();
    client(a, 1, 1, older);
    await()
        .atMost(WAIT)
        .until(
            () ->
                lookups
                    .presence()
                    .lookup(List.of(1L))
                    .toCompletableFuture()
                    .join()
                    .containsKey(1L));

    client(b, 1, 1, new Inbox());

    await().atMost(WAIT).untilAsserted(() -> assertThat(older.kickedOut).isEqualTo(10301));
  }

  @Test
  void aRoomMessageSentOnOneNodeReachesTheSubscribersOfTheOtherButNotItsSender() {
    Inbox onA = new Inbox();
    Inbox sender = new Inbox();
    client(a, 1, 1, onA).subscribeRoom(7).join();
    GimClient onB = client(b, 2, 1, sender);
    onB.subscribeRoom(7).join();

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              onB.sendToRoom(7, text("hello room"), null).join();
              assertThat(onA.texts()).contains("hello room");
            });
    assertThat(sender.texts()).doesNotContain("hello room");
  }

  @Test
  void aBroadcastFromTheHostOfOneNodeReachesEveryConnectionOfBoth() {
    Inbox onA = new Inbox();
    Inbox onB = new Inbox();
    client(a, 1, 1, onA);
    client(b, 2, 1, onB);

    b.messages().pushToAll(100, text("to everyone")).toCompletableFuture().join();

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(onA.texts()).containsExactly("to everyone");
              assertThat(onB.texts()).containsExactly("to everyone");
            });
  }

  @Test
  void thePresenceRegistryKnowsWhichNodeHoldsEachDevice() {
    client(a, 1, 1, new Inbox());
    client(b, 1, 2, new Inbox());
    client(b, 2, 1, new Inbox());

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              Map<Long, List<Route>> routes =
                  lookups.presence().lookup(List.of(1L, 2L, 3L)).toCompletableFuture().join();
              assertThat(routes).containsOnlyKeys(1L, 2L);
              assertThat(routes.get(1L))
                  .extracting(Route::deviceId, Route::nodeId)
                  .containsExactlyInAnyOrder(
                      org.assertj.core.groups.Tuple.tuple(1L, nodeA),
                      org.assertj.core.groups.Tuple.tuple(2L, nodeB));
              assertThat(routes.get(2L)).extracting(Route::nodeId).containsExactly(nodeB);
            });
    assertThat(lookups.presence().liveNodes().toCompletableFuture().join())
        .containsExactlyInAnyOrder(nodeA, nodeB);
  }

  private static byte[] text(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** What a device received, in order. */
  private static final class Inbox implements MessageListener {
    private final List<String> texts = new CopyOnWriteArrayList<>();
    volatile int kickedOut;

    @Override
    public void onKickedOut(int code, String message) {
      kickedOut = code;
    }

    @Override
    public void onMessage(ReceivedMessage message) {
      texts.add(new String(message.content(), StandardCharsets.UTF_8));
    }

    List<String> texts() {
      return texts;
    }
  }
}
