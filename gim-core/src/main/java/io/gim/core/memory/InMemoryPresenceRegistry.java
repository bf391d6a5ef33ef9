package io.gim.core.memory;

import static java.util.concurrent.CompletableFuture.completedFuture;

import io.gim.spi.cluster.PresenceRegistry;
import io.gim.spi.cluster.Route;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * A {@link PresenceRegistry} for one node; thread-safe, and no method blocks: every stage is
 * complete when returned. Expiry is checked lazily with {@link System#nanoTime()} when a route is
 * looked up, so no thread sweeps; an expired route is dropped when its user is looked up or its
 * device registers again.
 */
public final class InMemoryPresenceRegistry implements PresenceRegistry {
  private static final Duration MAX_TTL = Duration.ofNanos(Long.MAX_VALUE / 4);

  private static final Live[] NONE = new Live[0];

  /**
   * One route per (user, device): device ids are unique only within a user. Each user's routes are
   * a small array ordered by device id, replaced (never modified) only inside {@code
   * byUser.compute} of that user, so a user's routes change atomically. Most users have one or two
   * devices online: an array of one costs 24 bytes where a map of one cost about 100.
   */
  private final ConcurrentHashMap<Long, Live[]> byUser = new ConcurrentHashMap<>();

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
    byUser.compute(route.userId(), (user, devices) -> with(devices == null ? NONE : devices, live));
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
          Live[] next = without(devices, live -> live.route().equals(route));
          return next.length == 0 ? null : next;
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
            Live[] alive = without(devices, live -> !live.isAlive(now));
            for (Live live : alive) {
              routes.add(live.route()); // ordered by device id already
            }
            return alive.length == 0 ? null : alive;
          });
      if (!routes.isEmpty()) {
        found.put(userId, List.copyOf(routes));
      }
    }
    return completedFuture(found);
  }

  /** {@code devices} with {@code live} in its device's place (replacing that device's route). */
  private static Live[] with(Live[] devices, Live live) {
    long device = live.route().deviceId();
    int i = 0;
    while (i < devices.length && devices[i].route().deviceId() < device) {
      i++;
    }
    boolean replaces = i < devices.length && devices[i].route().deviceId() == device;
    Live[] next = new Live[replaces ? devices.length : devices.length + 1];
    System.arraycopy(devices, 0, next, 0, i);
    next[i] = live;
    int rest = replaces ? i + 1 : i;
    System.arraycopy(devices, rest, next, i + 1, devices.length - rest);
    return next;
  }

  /** {@code devices} less those {@code gone} accepts; the same array if it accepts none. */
  private static Live[] without(Live[] devices, Predicate<Live> gone) {
    int kept = 0;
    for (Live live : devices) {
      kept += gone.test(live) ? 0 : 1;
    }
    if (kept == devices.length) {
      return devices;
    }
    Live[] next = new Live[kept];
    int j = 0;
    for (Live live : devices) {
      if (!gone.test(live)) {
        next[j++] = live;
      }
    }
    return next;
  }

  private record Live(Route route, long expiresAtNanos) {
    boolean isAlive(long nowNanos) {
      return nowNanos - expiresAtNanos < 0;
    }
  }
}
