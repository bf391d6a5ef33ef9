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
import java.util.Set;
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

  /** The truth: one route per device. */
  private final ConcurrentHashMap<Long, Live> byDevice = new ConcurrentHashMap<>();

  /**
   * Devices per user, for lookup. A device is added and removed only inside {@code
   * byDevice.compute} of that device, so every device with a route is in its user's set (a set may
   * briefly name a device whose route is gone; lookup checks).
   */
  private final ConcurrentHashMap<Long, Set<Long>> devicesByUser = new ConcurrentHashMap<>();

  /** An empty registry; thread-safe, non-blocking. */
  public InMemoryPresenceRegistry() {}

  /**
   * Sets the device's route, replacing any other, live for {@code ttl} from now; thread-safe,
   * non-blocking.
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
    byDevice.compute(
        route.deviceId(),
        (deviceId, old) -> {
          if (old != null && old.route().userId() != route.userId()) {
            unindex(old.route().userId(), deviceId);
          }
          index(route.userId(), deviceId);
          return new Live(route, System.nanoTime() + ttlNanos);
        });
    return completedFuture(null);
  }

  /** Removes the device's route if it equals {@code route}; thread-safe, non-blocking. */
  @Override
  public CompletionStage<Void> unregister(Route route) {
    byDevice.computeIfPresent(
        route.deviceId(),
        (deviceId, current) -> {
          if (!current.route().equals(route)) {
            return current;
          }
          unindex(route.userId(), deviceId);
          return null;
        });
    return completedFuture(null);
  }

  /**
   * The live routes of each user that has any, each list ordered by device id; thread-safe,
   * non-blocking.
   */
  @Override
  public CompletionStage<Map<Long, List<Route>>> lookup(Collection<Long> userIds) {
    Map<Long, List<Route>> found = new HashMap<>();
    long now = System.nanoTime();
    for (long userId : userIds) {
      Set<Long> devices = devicesByUser.get(userId);
      if (devices == null) {
        continue;
      }
      List<Route> routes = new ArrayList<>(devices.size());
      for (long deviceId : devices) {
        Live live = byDevice.get(deviceId);
        if (live != null && live.route().userId() == userId && live.isAlive(now)) {
          routes.add(live.route());
        } else {
          dropIfStale(userId, deviceId);
        }
      }
      if (!routes.isEmpty()) {
        routes.sort(Comparator.comparingLong(Route::deviceId));
        found.put(userId, List.copyOf(routes));
      }
    }
    return completedFuture(found);
  }

  /** Re-checks under the device's lock: a register may have won since the lock-free read. */
  private void dropIfStale(long userId, long deviceId) {
    byDevice.compute(
        deviceId,
        (d, current) -> {
          if (current == null || current.route().userId() != userId) {
            unindex(userId, d);
            return current;
          }
          if (!current.isAlive(System.nanoTime())) {
            unindex(userId, d);
            return null;
          }
          return current;
        });
  }

  private void index(long userId, long deviceId) {
    devicesByUser.compute(
        userId,
        (u, devices) -> {
          Set<Long> set = devices != null ? devices : ConcurrentHashMap.newKeySet();
          set.add(deviceId);
          return set;
        });
  }

  private void unindex(long userId, long deviceId) {
    devicesByUser.computeIfPresent(
        userId,
        (u, devices) -> {
          devices.remove(deviceId);
          return devices.isEmpty() ? null : devices;
        });
  }

  private record Live(Route route, long expiresAtNanos) {
    boolean isAlive(long nowNanos) {
      return nowNanos - expiresAtNanos < 0;
    }
  }
}
