package io.gim.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gim.spi.cluster.RoomBus;
import io.gim.spi.cluster.RoomBus.Subscription;
import io.gim.spi.cluster.RoomEvent;
import io.gim.store.redis.internal.Keys;
import io.gim.store.redis.internal.RedisRoomBus;
import io.gim.store.redis.internal.RedisTarget;
import io.gim.testkit.contract.RoomBusContract;
import io.lettuce.core.KillArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.awaitility.Awaitility;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The room bus contract on the machine's single Redis, plus dispatch order and reconnects. */
class RedisRoomBusTest extends RoomBusContract {
  private final Map<RoomBus, Opened> opened = new IdentityHashMap<>();
  private final List<AutoCloseable> cleanup = new ArrayList<>();
  private final String token = UUID.randomUUID().toString();
  private final CountDownLatch release = new CountDownLatch(1);

  /** Stores under a prefix of their own, deleted afterwards. */
  record Opened(RedisStores stores, String prefix) {}

  boolean cluster() {
    return false;
  }

  @Override
  protected RoomBus createBus() {
    String prefix = TestRedis.prefix();
    RedisStores stores = cluster() ? TestRedis.cluster(prefix) : TestRedis.single(prefix);
    opened.put(stores.roomBus(), new Opened(stores, prefix));
    return stores.roomBus();
  }

  @Override
  protected void closeBus(RoomBus bus) {
    // A blocked listener must not outlive its test.
    release.countDown();
    Opened o = opened.remove(bus);
    if (o != null) {
      o.stores().close();
      TestRedis.deleteKeys(cluster(), o.prefix());
    }
  }

  @AfterEach
  void closeExtras() throws Exception {
    release.countDown();
    for (int i = cleanup.size() - 1; i >= 0; i--) {
      cleanup.get(i).close();
    }
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static void eventually(ThrowingRunnable assertion) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20))
        .untilAsserted(assertion);
  }

  private byte[] bytes(String text) {
    return (token + " " + text).getBytes(StandardCharsets.UTF_8);
  }

  private static String text(RoomEvent event) {
    String text = new String(event.message(), StandardCharsets.UTF_8);
    return text.substring(text.indexOf(' ') + 1);
  }

  private RoomEvent ordinary(String text) {
    return new RoomEvent.Room(7, bytes(text), false, null);
  }

  private RoomEvent priority(String text) {
    return new RoomEvent.Room(7, bytes(text), true, null);
  }

  /**
   * Subscribes a listener to this test's events (texts without the token) and waits until probes
   * published through {@code via} reach it; probes go to {@code probes}, not to the listener.
   */
  private Subscription subscribeLive(RoomBus via, Consumer<RoomEvent> listener, List<String> probes)
      throws Exception {
    Subscription subscription =
        await(
            via.subscribe(
                event -> {
                  String text = new String(event.message(), StandardCharsets.UTF_8);
                  if (!text.startsWith(token + " ")) {
                    return;
                  }
                  if (text(event).startsWith("probe")) {
                    probes.add(text(event));
                  } else {
                    listener.accept(event);
                  }
                }));
    cleanup.add(subscription);
    awaitProbe(via, probes);
    return subscription;
  }

  private Subscription subscribeLive(RoomBus via, Consumer<RoomEvent> listener) throws Exception {
    return subscribeLive(via, listener, new CopyOnWriteArrayList<>());
  }

  /** Publishes probes until one arrives: the subscription is live (again). */
  private void awaitProbe(RoomBus via, List<String> probes) {
    int before = probes.size();
    eventually(
        () -> {
          await(via.publish(new RoomEvent.All(bytes("probe " + UUID.randomUUID()))));
          assertThat(probes).hasSizeGreaterThan(before);
        });
  }

  /** A listener that records texts and blocks on the first event named "blocker". */
  private final class Blocking implements Consumer<RoomEvent> {
    final List<String> received = new CopyOnWriteArrayList<>();
    final CountDownLatch entered = new CountDownLatch(1);

    @Override
    public void accept(RoomEvent event) {
      received.add(text(event));
      if (text(event).equals("blocker")) {
        entered.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }

    void awaitBlocked() throws InterruptedException {
      assertThat(entered.await(10, TimeUnit.SECONDS)).as("the listener got the blocker").isTrue();
    }
  }

  @Test
  void priorityEventsOvertakeOrdinaryOnesQueuedBeforeThem() throws Exception {
    RedisRoomBus redisBus = (RedisRoomBus) bus;
    Blocking listener = new Blocking();
    subscribeLive(bus, listener);
    await(bus.publish(ordinary("blocker")));
    listener.awaitBlocked();

    for (int i = 1; i <= 5; i++) {
      await(bus.publish(ordinary("ordinary " + i)));
    }
    await(bus.publish(priority("urgent")));
    eventually(() -> assertThat(redisBus.queued()).isEqualTo(6));
    release.countDown();

    eventually(
        () ->
            assertThat(listener.received)
                .containsExactly(
                    "blocker",
                    "urgent",
                    "ordinary 1",
                    "ordinary 2",
                    "ordinary 3",
                    "ordinary 4",
                    "ordinary 5"));
  }

  @Test
  void aBlockedListenerDoesNotHoldUpRedisCommands() throws Exception {
    Blocking listener = new Blocking();
    subscribeLive(bus, listener);
    await(bus.publish(ordinary("blocker")));
    listener.awaitBlocked();

    List<CompletableFuture<Void>> published = new ArrayList<>();
    List<String> expected = new ArrayList<>(List.of("blocker"));
    for (int i = 0; i < 100; i++) {
      published.add(bus.publish(ordinary("later " + i)).toCompletableFuture());
      expected.add("later " + i);
    }
    for (CompletableFuture<Void> p : published) {
      await(p);
    }
    RedisStores stores = opened.get(bus).stores();
    assertThat(await(stores.presence().lookup(List.of(1L)))).isEmpty();
    assertThat(listener.received).containsExactly("blocker");

    release.countDown();
    eventually(() -> assertThat(listener.received).containsExactlyElementsOf(expected));
  }

  @Test
  void receivesAgainAfterItsConnectionIsKilled() throws Exception {
    List<String> received = new CopyOnWriteArrayList<>();
    List<String> probes = new CopyOnWriteArrayList<>();
    subscribeLive(bus, event -> received.add(text(event)), probes);

    assertThat(killPubSubClients(RedisRoomBus.clientName(opened.get(bus).prefix())))
        .as("room bus connections killed")
        .isEqualTo(1);

    // Lettuce reconnects and subscribes again by itself: nothing here asks it to.
    awaitProbe(bus, probes);
    await(bus.publish(ordinary("after the kill")));
    eventually(() -> assertThat(received).contains("after the kill"));
  }

  @Test
  void aFullOrdinaryLaneDropsItsOldestEvents() throws Exception {
    String prefix = TestRedis.prefix();
    RedisTarget target = target(prefix);
    RedisRoomBus small = new RedisRoomBus(target, new Keys(prefix), 4, 4);
    cleanup.add(small);
    Blocking listener = new Blocking();
    subscribeLive(small, listener);
    await(small.publish(ordinary("blocker")));
    listener.awaitBlocked();

    for (int i = 1; i <= 10; i++) {
      await(small.publish(ordinary("ordinary " + i)));
    }
    await(small.publish(priority("urgent")));
    eventually(() -> assertThat(small.queued()).isEqualTo(5));
    assertThat(small.dropped()).isEqualTo(6);
    release.countDown();

    eventually(
        () ->
            assertThat(listener.received)
                .containsExactly(
                    "blocker", "urgent", "ordinary 7", "ordinary 8", "ordinary 9", "ordinary 10"));
  }

  @Test
  void aMalformedPayloadIsDroppedAndLaterEventsArrive() throws Exception {
    List<String> received = new CopyOnWriteArrayList<>();
    subscribeLive(bus, event -> received.add(text(event)));
    String channel = opened.get(bus).prefix() + "rooms";

    String zeros = "\u0000".repeat(24);
    for (String garbage :
        List.of(
            "",
            "\u0001",
            "\u0001\u0000",
            "\u0001\u0004" + zeros,
            "\u0001\u0002" + zeros,
            "\u0009")) {
      publishRaw(channel, garbage);
    }
    await(bus.publish(ordinary("after the garbage")));

    eventually(() -> assertThat(received).containsExactly("after the garbage"));
  }

  @Test
  void aClosedBusStopsItsListenersAndRefusesSubscriptions() throws Exception {
    String prefix = TestRedis.prefix();
    RedisTarget target = target(prefix);
    RedisRoomBus closing = new RedisRoomBus(target, new Keys(prefix));
    cleanup.add(closing);
    RedisRoomBus staying = new RedisRoomBus(target, new Keys(prefix));
    cleanup.add(staying);
    List<String> closingGot = new CopyOnWriteArrayList<>();
    List<String> stayingGot = new CopyOnWriteArrayList<>();
    subscribeLive(closing, event -> closingGot.add(text(event)));
    subscribeLive(staying, event -> stayingGot.add(text(event)));

    closing.close();
    closing.close();
    await(staying.publish(ordinary("after close")));

    eventually(() -> assertThat(stayingGot).containsExactly("after close"));
    assertThat(closingGot).isEmpty();
    assertThatThrownBy(() -> await(closing.subscribe(event -> {})))
        .hasRootCauseInstanceOf(IllegalStateException.class);
  }

  /** A target of its own for buses made here; closed and its keys deleted after the test. */
  private RedisTarget target(String prefix) {
    RedisTarget target =
        RedisTarget.connect(
            cluster() ? TestRedis.clusterClient() : TestRedis.singleClient(),
            false,
            Duration.ofSeconds(2));
    cleanup.add(() -> TestRedis.deleteKeys(cluster(), prefix));
    cleanup.add(target);
    return target;
  }

  private void publishRaw(String channel, String payload) {
    if (cluster()) {
      try (StatefulRedisClusterConnection<String, String> c = TestRedis.clusterClient().connect()) {
        // Through a node's own connection: a new cluster connection opens those lazily and, set
        // to reject commands while disconnected, would refuse a keyless command at first.
        String node = c.getPartitions().iterator().next().getNodeId();
        c.getConnection(node).sync().publish(channel, payload);
      }
    } else {
      try (StatefulRedisConnection<String, String> c = TestRedis.singleClient().connect()) {
        c.sync().publish(channel, payload);
      }
    }
  }

  /** Kills the pub/sub connections named {@code name} (on every node of a cluster); how many. */
  private int killPubSubClients(String name) {
    if (!cluster()) {
      try (StatefulRedisConnection<String, String> c = TestRedis.singleClient().connect()) {
        return killPubSubClients(c.sync(), name);
      }
    }
    int killed = 0;
    try (StatefulRedisClusterConnection<String, String> c = TestRedis.clusterClient().connect()) {
      for (RedisClusterNode node : c.getPartitions()) {
        killed += killPubSubClients(c.getConnection(node.getNodeId()).sync(), name);
      }
    }
    return killed;
  }

  private static int killPubSubClients(RedisClusterCommands<String, String> commands, String name) {
    int killed = 0;
    for (String line : commands.clientList().split("\n")) {
      Map<String, String> fields = new HashMap<>();
      for (String field : line.trim().split(" ")) {
        int eq = field.indexOf('=');
        if (eq > 0) {
          fields.put(field.substring(0, eq), field.substring(eq + 1));
        }
      }
      if (name.equals(fields.get("name"))) {
        long id = Long.parseLong(fields.get("id"));
        // CLIENT KILL TYPE pubsub ID <id>: only this bus's subscriber, whatever else runs here.
        killed += (int) (long) commands.clientKill(KillArgs.Builder.typePubsub().id(id));
      }
    }
    return killed;
  }
}
