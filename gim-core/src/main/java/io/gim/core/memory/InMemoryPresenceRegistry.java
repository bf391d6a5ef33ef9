package io.gim.core.memory;

import static java.util.concurrent.CompletableFuture.completedFuture;

import io.gim.spi.cluster.PresenceRegistry;
import io.gim.spi.cluster.Route;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link PresenceRegistry} for one node; thread-safe, and no method blocks: every stage is
 * complete when returned. Expiry is checked lazily with {@link System#nanoTime()} when a route is
 * looked up, so no thread sweeps; an expired route is dropped when its user is looked up or its
 * device registers again.
 */
public final class InMemoryPresenceRegistry implements PresenceRegistry {
  private static final Duration MAX_TTL = Duration.ofNanos(Long.MAX_VALUE / 4);

  /**
   * One route per (user, device): device ids are unique only within a user. Each user's map is
   * changed only inside {@code byUser.compute} of that user, so a user's routes change atomically.
   */
  private final ConcurrentHashMap<Long, Map<Long, Live>> byUser = new ConcurrentHashMap<>();

  /** An empty registry; thread-safe, non-blocking. */
  public InMemoryPresenceRegistry() {}

  /**
   * Sets the route of the route's (user, device), replacing any other, live for {@code ttl} from
   * now; thread-safe, non-blocking.
   *
   * @throws IllegalArgumentException if {@code ttl} is not positive
   */
  @Override
  public CompletionStage<Void> register(Route route, Duration ttl) {
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl: " + ttl + " (expected: > 0)");
    }
    // A quarter of the nanoTime range keeps "now - expiresAt" free of overflow.
    long ttlNanos = ttl.compareTo(MAX_TTL) > 0 ? MAX_TTL.toNanos() : ttl.toNanos();
    Live live = new Live(route, System.nanoTime() + ttlNanos);
    byUser.compute(
        route.userId(),
        (user, devices) -> {
          Map<Long, Live> m = devices != null ? devices : new HashMap<>(2); // one or two devices
          m.put(route.deviceId(), live);
          return m;
        });
    return completedFuture(null);
  }

  /**
   * Removes the route of the route's (user, device) if it equals {@code route}; thread-safe,
   * non-blocking.
   */
  @Override
  public CompletionStage<Void> unregister(Route route) {
    byUser.computeIfPresent(
        route.userId(),
        (user, devices) -> {
          Live current = devices.get(route.deviceId());
          if (current != null && current.route().equals(route)) {
            devices.remove(route.deviceId());
          }
          return devices.isEmpty() ? null : devices;
        });
    return completedFuture(null);
  }

  /**
   * The live routes of each user that has any, each list ordered by device id; thread-safe,
   * non-blocking. Expired routes met on the way are dropped.
   */
  @Override
  public CompletionStage<Map<Long, List<Route>>> lookup(Collection<Long> userIds) {
    Map<Long, List<Route>> found = new HashMap<>();
    long now = System.nanoTime();
    for (long userId : userIds) {
      List<Route> routes = new ArrayList<>();
      byUser.computeIfPresent(
          userId,
          (user, devices) -> {
            devices.values().removeIf(live -> !live.isAlive(now));
            devices.values().forEach(live -> routes.add(live.route()));
            return devices.isEmpty() ? null : devices;
          });
      if (!routes.isEmpty()) {
        routes.sort(Comparator.comparingLong(Route::deviceId));
        found.put(userId, List.copyOf(routes));
      }
    }
    return completedFuture(found);
  }

  private record Live(Route route, long expiresAtNanos) {
    boolean isAlive(long nowNanos) {
      return nowNanos - expiresAtNanos < 0;
    }
  }
}
