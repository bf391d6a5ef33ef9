package io.gim.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.gim.spi.cluster.RoomBus;
import io.gim.spi.cluster.Route;
import io.gim.testkit.LocalRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The presets: who closes what, and clear refusals of bad settings. */
class RedisStoresTest {

  @Test
  void storesMadeFromAUriCloseEveryConnectionTheyOpened() throws Exception {
    try (LocalRedis redis = LocalRedis.start()) {
      int before = redis.clients();
      RedisStores stores = RedisStores.of(redis.uri());
      // Use every part, the room bus's pub/sub connection included.
      stores
          .presence()
          .register(new Route(1, 1, "n", 1), Duration.ofMinutes(1))
          .toCompletableFuture()
          .get();
      RoomBus.Subscription subscription =
          stores.roomBus().subscribe(event -> {}).toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertThat(redis.clients()).isGreaterThan(before);

      subscription.close();
      stores.close();
      stores.close(); // idempotent

      await().atMost(Duration.ofSeconds(10)).until(() -> redis.clients() == before);
    }
  }

  @Test
  void recordsRedisCommandLatencyInTheHostsRegistryAndReleasesItsResourcesOnClose()
      throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (LocalRedis redis = LocalRedis.start()) {
      int before = redis.clients();
      RedisStores stores = RedisStores.builder().uri(redis.uri()).meterRegistry(registry).build();
      stores.messages().maxAck(1).toCompletableFuture().get(10, TimeUnit.SECONDS);

      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> !registry.find("lettuce.command.completion").timers().isEmpty());
      assertThat(registry.find("lettuce.command.completion").timers())
          .allSatisfy(t -> assertThat(t.getId().getTag("remote")).contains("127.0.0.1"));

      stores.close();
      await().atMost(Duration.ofSeconds(10)).until(() -> redis.clients() == before);
    }
  }

  @Test
  void aClientHandedInStaysOpenAfterTheStoresClose() throws Exception {
    try (LocalRedis redis = LocalRedis.start()) {
      RedisClient client = RedisClient.create(redis.uri());
      try {
        RedisStores stores = RedisStores.of(client);
        stores.messages().maxAck(1).toCompletableFuture().get();
        stores.close();

        try (StatefulRedisConnection<String, String> c = client.connect()) {
          assertThat(c.sync().ping()).isEqualTo("PONG");
        }
      } finally {
        client.shutdown();
      }
    }
  }

  @Test
  void refusesAPrefixWithBracesThatWouldMoveTheHashTag() {
    assertThatThrownBy(() -> RedisStores.builder().prefix("app{1}:"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("prefix: app{1}:");
  }

  @Test
  void refusesSettingsThatMakeNoSense() {
    assertThatThrownBy(() -> RedisStores.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("uri or client is required");
    assertThatThrownBy(() -> RedisStores.builder().timeout(Duration.ZERO))
        .hasMessage("timeout: PT0S (expected: positive)");
    assertThatThrownBy(() -> RedisStores.builder().inboxMaxEntries(-1))
        .hasMessage("inboxMaxEntries: -1 (expected: 0 or more)");
    assertThatThrownBy(() -> RedisStores.builder().inboxMaxAge(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aRedisThatDoesNotAnswerFailsTheBuildWithTheReason() throws Exception {
    int port;
    try (LocalRedis redis = LocalRedis.start()) {
      port = redis.port(); // stopped when this block ends: nothing listens there any more
    }
    String uri = "redis://127.0.0.1:" + port;
    long lettuceThreads = lettuceThreads();

    assertThatThrownBy(() -> RedisStores.of(uri))
        .isInstanceOf(RuntimeException.class)
        .hasMessageStartingWith("cannot connect to Redis at " + uri + ": ");

    // The client it created for the attempt is shut down: its threads end.
    await().atMost(Duration.ofSeconds(10)).until(() -> lettuceThreads() <= lettuceThreads);
  }

  private static long lettuceThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("lettuce-"))
        .count();
  }
}
