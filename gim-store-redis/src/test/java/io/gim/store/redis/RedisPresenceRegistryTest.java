package io.gim.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.gim.spi.cluster.PresenceRegistry;
import io.gim.spi.cluster.Route;
import io.gim.testkit.contract.PresenceRegistryContract;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.Test;

/** The presence contract on the machine's single Redis, plus node liveness and large lookups. */
class RedisPresenceRegistryTest extends PresenceRegistryContract {
  private static final Duration LONG_TTL = Duration.ofMinutes(5);

  private final Map<PresenceRegistry, Opened> opened = new IdentityHashMap<>();

  /** Stores under a prefix of their own, deleted afterwards. */
  record Opened(RedisStores stores, String prefix) {}

  boolean cluster() {
    return false;
  }

  @Override
  protected PresenceRegistry createRegistry() {
    String prefix = TestRedis.prefix();
    RedisStores stores = cluster() ? TestRedis.cluster(prefix) : TestRedis.single(prefix);
    opened.put(stores.presence(), new Opened(stores, prefix));
    return stores.presence();
  }

  @Override
  protected void closeRegistry(PresenceRegistry registry) {
    Opened o = opened.remove(registry);
    if (o != null) {
      o.stores().close();
      TestRedis.deleteKeys(cluster(), o.prefix());
    }
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static long base() {
    return ThreadLocalRandom.current().nextLong(1, 1L << 40) * 1_000_000L;
  }

  private static void eventually(ThrowingRunnable assertion) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20))
        .untilAsserted(assertion);
  }

  @Test
  void looksUpAThousandUsersAtOnce() throws Exception {
    long users = base();
    List<Long> ids = new ArrayList<>();
    List<CompletableFuture<Void>> registered = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      long user = users + i;
      ids.add(user);
      registered.add(
          registry.register(new Route(user, 1, "node-a", i), LONG_TTL).toCompletableFuture());
    }
    for (var r : registered) {
      await(r);
    }
    ids.add(users + 5_000); // one without routes

    Map<Long, List<Route>> found = await(registry.lookup(ids));

    assertThat(found).hasSize(1_000).doesNotContainKey(users + 5_000);
    for (int i = 0; i < 1_000; i++) {
      assertThat(found.get(users + i)).containsExactly(new Route(users + i, 1, "node-a", i));
    }
  }

  @Test
  void heartbeatSaysWhetherTheNodeWasDownJustBefore() throws Exception {
    String node = "node-" + base();

    assertThat(await(registry.heartbeatNode(node, LONG_TTL))).as("first heartbeat").isTrue();
    assertThat(await(registry.heartbeatNode(node, Duration.ofMillis(300))))
        .as("heartbeat while alive")
        .isFalse();
    eventually(() -> assertThat(await(registry.liveNodes())).doesNotContain(node));

    assertThat(await(registry.heartbeatNode(node, LONG_TTL)))
        .as("heartbeat after a lapse")
        .isTrue();
  }

  @Test
  void liveNodesAreTheNodesWhoseHeartbeatHasNotLapsed() throws Exception {
    String staying = "node-" + base();
    String leaving = "node-" + base();
    await(registry.heartbeatNode(staying, LONG_TTL));
    await(registry.heartbeatNode(leaving, LONG_TTL));
    assertThat(await(registry.liveNodes())).contains(staying, leaving);

    await(registry.heartbeatNode(leaving, Duration.ofMillis(200)));

    eventually(
        () -> assertThat(await(registry.liveNodes())).contains(staying).doesNotContain(leaving));
  }

  @Test
  void routesOfANodeWhoseHeartbeatLapsedVanishBeforeTheirTtl() throws Exception {
    long user = base();
    String dying = "node-dying-" + base();
    String living = "node-living-" + base();
    await(registry.heartbeatNode(dying, LONG_TTL));
    await(registry.heartbeatNode(living, LONG_TTL));
    Route onDying = new Route(user, 1, dying, 1);
    Route onLiving = new Route(user, 2, living, 2);
    await(registry.register(onDying, LONG_TTL));
    await(registry.register(onLiving, LONG_TTL));
    assertThat(await(registry.lookup(List.of(user))).get(user)).hasSize(2);

    // The last heartbeat before the node stops.
    await(registry.heartbeatNode(dying, Duration.ofMillis(200)));

    eventually(
        () ->
            assertThat(await(registry.lookup(List.of(user))))
                .containsExactly(Map.entry(user, List.of(onLiving))));
  }

  @Test
  void aUserWhoseRoutesAreAllOnALapsedNodeIsAbsent() throws Exception {
    long user = base();
    String dying = "node-dying-" + base();
    await(registry.heartbeatNode(dying, Duration.ofMillis(200)));
    await(registry.register(new Route(user, 1, dying, 1), LONG_TTL));

    eventually(() -> assertThat(await(registry.lookup(List.of(user)))).isEmpty());
  }

  @Test
  void unregisterOfTheSameConnectionIdOnAnotherNodeKeepsTheRoute() throws Exception {
    long user = base();
    Route route = new Route(user, 1, "node-a", 7);
    await(registry.register(route, LONG_TTL));

    await(registry.unregister(new Route(user, 1, "node-b", 7)));

    assertThat(await(registry.lookup(List.of(user))))
        .containsExactly(Map.entry(user, List.of(route)));
  }

  @Test
  void nodeIdsAndConnectionIdsSurviveExactly() throws Exception {
    long user = base();
    // Ids beyond a double's 53 bits and a node id holding the value's separator.
    Route route = new Route(user, Long.MAX_VALUE - 1, "node|with|bars ü", Long.MAX_VALUE - 3);
    await(registry.register(route, LONG_TTL));

    assertThat(await(registry.lookup(List.of(user))))
        .containsExactly(Map.entry(user, List.of(route)));

    await(registry.unregister(route));
    assertThat(await(registry.lookup(List.of(user)))).isEmpty();
  }
}
