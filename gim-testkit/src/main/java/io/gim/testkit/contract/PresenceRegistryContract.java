package io.gim.testkit.contract;

import static io.gim.testkit.contract.Stages.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.gim.spi.cluster.PresenceRegistry;
import io.gim.spi.cluster.Route;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The contract of {@link PresenceRegistry}: one route per device, replace on register, guarded
 * unregister, TTL expiry.
 *
 * <p>Extend it and implement {@link #createRegistry()}; override {@link
 * #closeRegistry(PresenceRegistry)} to release it. Each test uses its own random user and device
 * ids.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
public abstract class PresenceRegistryContract {
  private static final Duration LONG_TTL = Duration.ofMinutes(5);

  /** The registry under test, created before each test. */
  protected PresenceRegistry registry;

  private long userBase;
  private long deviceBase;

  /** A new registry, or a shared one: tests never reuse each other's ids. */
  protected abstract PresenceRegistry createRegistry() throws Exception;

  /** Releases a registry made by {@link #createRegistry()}; does nothing by default. */
  protected void closeRegistry(PresenceRegistry registry) throws Exception {}

  @BeforeEach
  final void setUpRegistry() throws Exception {
    userBase = Stages.randomBase();
    deviceBase = Stages.randomBase();
    registry = createRegistry();
  }

  @AfterEach
  final void tearDownRegistry() throws Exception {
    closeRegistry(registry);
  }

  private long user(int i) {
    return userBase + i;
  }

  private Route route(int user, int device, String node, long connection) {
    return new Route(user(user), deviceBase + device, node, connection);
  }

  private Map<Long, List<Route>> lookup(long... users) {
    return await(registry.lookup(Arrays.stream(users).boxed().toList()));
  }

  @Test
  void looksUpTheRoutesOfRegisteredDevices() {
    Route a1 = route(1, 1, "node-a", 1);
    Route a2 = route(1, 2, "node-b", 2);
    Route b1 = route(2, 3, "node-a", 3);
    for (Route r : List.of(a1, a2, b1)) {
      await(registry.register(r, LONG_TTL));
    }

    Map<Long, List<Route>> found = lookup(user(1), user(2), user(3));

    assertThat(found).containsOnlyKeys(user(1), user(2));
    assertThat(found.get(user(1))).containsExactlyInAnyOrder(a1, a2);
    assertThat(found.get(user(2))).containsExactly(b1);
  }

  @Test
  void lookupOfNoUsersIsEmpty() {
    assertThat(lookup()).isEmpty();
  }

  @Test
  void registeringADeviceAgainReplacesItsRoute() {
    await(registry.register(route(1, 1, "node-a", 1), LONG_TTL));
    Route newer = route(1, 1, "node-b", 2);
    await(registry.register(newer, LONG_TTL));

    assertThat(lookup(user(1))).containsExactly(Map.entry(user(1), List.of(newer)));
  }

  @Test
  void theSameDeviceIdOfTwoUsersIsTwoDevices() {
    // Hosts commonly number each user's devices 1, 2, 3: device ids are unique within a user only.
    Route alice = route(1, 1, "node-a", 1);
    Route bob = route(2, 1, "node-b", 2);
    await(registry.register(alice, LONG_TTL));
    await(registry.register(bob, LONG_TTL));
    await(registry.unregister(new Route(bob.userId(), bob.deviceId(), "node-a", 1)));

    Map<Long, List<Route>> found = lookup(user(1), user(2));

    assertThat(found.get(user(1))).containsExactly(alice);
    assertThat(found.get(user(2))).containsExactly(bob);
  }

  @Test
  void unregisterRemovesTheCurrentRoute() {
    Route route = route(1, 1, "node-a", 1);
    await(registry.register(route, LONG_TTL));
    await(registry.unregister(route));

    assertThat(lookup(user(1))).isEmpty();
  }

  @Test
  void unregisterOfAStaleRouteKeepsTheNewerOne() {
    Route older = route(1, 1, "node-a", 1);
    Route newer = route(1, 1, "node-a", 2);
    await(registry.register(older, LONG_TTL));
    await(registry.register(newer, LONG_TTL));
    await(registry.unregister(older));

    assertThat(lookup(user(1))).containsExactly(Map.entry(user(1), List.of(newer)));
  }

  @Test
  void routesExpireAfterTheirTtl() {
    Route staying = route(1, 1, "node-a", 1);
    Route leaving = route(1, 2, "node-a", 2);
    await(registry.register(staying, LONG_TTL));
    await(registry.register(leaving, LONG_TTL));
    assertThat(lookup(user(1)).get(user(1))).hasSize(2);

    // A register with a short TTL, as the last heartbeat before a node dies would leave it.
    await(registry.register(leaving, Duration.ofMillis(200)));

    Stages.eventually(
        () -> assertThat(lookup(user(1))).containsExactly(Map.entry(user(1), List.of(staying))));
  }

  @Test
  void aUserWhoseOnlyRouteExpiredIsAbsent() {
    await(registry.register(route(1, 1, "node-a", 1), Duration.ofMillis(200)));

    Stages.eventually(() -> assertThat(lookup(user(1))).isEmpty());
  }
}
