package io.gim.store.redis.internal;

import io.gim.spi.cluster.PresenceRegistry;
import io.gim.spi.cluster.Route;
import io.lettuce.core.ScriptOutputType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link PresenceRegistry} on Redis: one hash per user in the user's cluster slot, field =
 * device id, value = {@code <expires at ms>|<connection id>|<node id>}, every expiry measured by
 * Redis's clock. Node liveness is a sorted set of node ids scored by the end of their liveness; a
 * node that lapsed stays in it for {@link #LAPSED_NODES_KEPT}, and lookups drop its routes. Routes
 * of nodes that never sent a heartbeat are kept (a registry used without heartbeats).
 *
 * <p>A lookup is one script per cluster slot of the users (one in all on a single server) and one
 * read of the lapsed nodes, all sent at once. Thread-safe; no method blocks.
 */
public final class RedisPresenceRegistry implements PresenceRegistry, AutoCloseable {
  /** How long a lapsed node stays listed, so that lookups drop its routes until they expire. */
  static final Duration LAPSED_NODES_KEPT = Duration.ofHours(24);

  /** About 35 years: keeps "now + ttl" exact in Lua's doubles. */
  private static final long MAX_TTL_MILLIS = 1L << 40;

  private static final Logger LOG = LoggerFactory.getLogger(RedisPresenceRegistry.class);
  private static final byte[] LIVE = Keys.bytes("live");
  private static final byte[] LAPSED = Keys.bytes("lapsed");

  private final RedisTarget target;
  private final Keys keys;
  private final byte[] nodesKey;
  private final RareLog malformed = new RareLog(LOG, Duration.ofMinutes(1));
  private final Script register = Script.load("register", ScriptOutputType.INTEGER, "time");
  private final Script unregister = Script.load("unregister", ScriptOutputType.INTEGER);
  private final Script routes = Script.load("routes", ScriptOutputType.MULTI, "time");
  private final Script heartbeat = Script.load("heartbeat", ScriptOutputType.INTEGER, "time");
  private final Script nodes = Script.load("nodes", ScriptOutputType.MULTI, "time");

  /** A registry on {@code target} under the keys' prefix. */
  public RedisPresenceRegistry(RedisTarget target, Keys keys) {
    this.target = Objects.requireNonNull(target, "target");
    this.keys = Objects.requireNonNull(keys, "keys");
    this.nodesKey = keys.global("nodes");
  }

  /**
   * Sets the device's route for {@code ttl}, replacing any other.
   *
   * @throws IllegalArgumentException if {@code ttl} is not positive
   */
  @Override
  public CompletableFuture<Void> register(Route route, Duration ttl) {
    Objects.requireNonNull(route, "route");
    return register
        .<Long>run(
            target,
            new byte[][] {routesKey(route.userId())},
            Keys.number(route.deviceId()),
            Keys.number(millis(ttl)),
            Keys.number(route.connectionId()),
            Keys.bytes(route.nodeId()))
        .thenApply(ignored -> null);
  }

  @Override
  public CompletableFuture<Void> unregister(Route route) {
    Objects.requireNonNull(route, "route");
    return unregister
        .<Long>run(
            target,
            new byte[][] {routesKey(route.userId())},
            Keys.number(route.deviceId()),
            Keys.number(route.connectionId()),
            Keys.bytes(route.nodeId()))
        .thenApply(ignored -> null);
  }

  /** The live routes of each user that has any, each list ordered by device id. */
  @Override
  public CompletableFuture<Map<Long, List<Route>>> lookup(Collection<Long> userIds) {
    if (userIds.isEmpty()) {
      return CompletableFuture.completedFuture(Map.of());
    }
    Map<Integer, List<Long>> bySlot = new LinkedHashMap<>();
    for (long user : new LinkedHashSet<>(userIds)) {
      bySlot.computeIfAbsent(target.slot(routesKey(user)), s -> new ArrayList<>()).add(user);
    }
    // The nodes' set is in another slot than the users' hashes on a cluster: read it alongside.
    CompletableFuture<Set<String>> lapsed = nodes(LAPSED);
    List<CompletableFuture<Map<Long, List<Route>>>> parts = new ArrayList<>(bySlot.size());
    for (List<Long> users : bySlot.values()) {
      byte[][] hashes = users.stream().map(this::routesKey).toArray(byte[][]::new);
      parts.add(
          routes.<List<Object>>run(target, hashes).thenApply(reply -> routesOf(users, reply)));
    }
    CompletableFuture<?>[] all = parts.toArray(new CompletableFuture<?>[parts.size() + 1]);
    all[parts.size()] = lapsed;
    return CompletableFuture.allOf(all)
        .thenApply(
            ignored -> {
              Set<String> dead = lapsed.join();
              Map<Long, List<Route>> found = new HashMap<>();
              for (CompletableFuture<Map<Long, List<Route>>> part : parts) {
                part.join()
                    .forEach(
                        (user, list) -> {
                          List<Route> live =
                              list.stream().filter(r -> !dead.contains(r.nodeId())).toList();
                          if (!live.isEmpty()) {
                            found.put(user, live);
                          }
                        });
              }
              return found;
            });
  }

  /**
   * Marks the node alive for {@code ttl}; true when it was not alive just before.
   *
   * @throws IllegalArgumentException if {@code ttl} is not positive
   */
  @Override
  public CompletableFuture<Boolean> heartbeatNode(String nodeId, Duration ttl) {
    Objects.requireNonNull(nodeId, "nodeId");
    return heartbeat
        .<Long>run(
            target,
            new byte[][] {nodesKey},
            Keys.bytes(nodeId),
            Keys.number(millis(ttl)),
            Keys.number(LAPSED_NODES_KEPT.toMillis()))
        .thenApply(wasDown -> wasDown == 1L);
  }

  @Override
  public CompletableFuture<Set<String>> liveNodes() {
    return nodes(LIVE);
  }

  /** Nothing to release: the connection belongs to the target. */
  @Override
  public void close() {}

  private CompletableFuture<Set<String>> nodes(byte[] which) {
    return nodes
        .<List<Object>>run(target, new byte[][] {nodesKey}, which)
        .thenApply(
            reply -> {
              Set<String> ids = new HashSet<>();
              for (Object id : reply) {
                ids.add(new String((byte[]) id, StandardCharsets.UTF_8));
              }
              return ids;
            });
  }

  private byte[] routesKey(long userId) {
    return keys.user(userId, "routes");
  }

  /** Each user's routes from the script's reply: per user {device, "connection|node", ...}. */
  @SuppressWarnings("unchecked")
  private Map<Long, List<Route>> routesOf(List<Long> users, List<Object> reply) {
    Map<Long, List<Route>> byUser = new HashMap<>();
    for (int i = 0; i < users.size(); i++) {
      long user = users.get(i);
      List<Object> fields = (List<Object>) reply.get(i);
      List<Route> list = new ArrayList<>(fields.size() / 2);
      for (int j = 0; j + 1 < fields.size(); j += 2) {
        Route route = route(user, (byte[]) fields.get(j), (byte[]) fields.get(j + 1));
        if (route != null) {
          list.add(route);
        }
      }
      if (!list.isEmpty()) {
        list.sort(Comparator.comparingLong(Route::deviceId));
        byUser.put(user, list);
      }
    }
    return byUser;
  }

  /** A route from its field and value; null (and a rare log) for one this code did not write. */
  private Route route(long user, byte[] field, byte[] value) {
    String text = new String(value, StandardCharsets.UTF_8);
    int bar = text.indexOf('|');
    try {
      long device = Long.parseLong(new String(field, StandardCharsets.US_ASCII));
      return new Route(
          user, device, text.substring(bar + 1), Long.parseLong(text.substring(0, bar)));
    } catch (RuntimeException e) {
      malformed.warn("Skipped a malformed route of user {}: {}", user, e.toString());
      return null;
    }
  }

  private static long millis(Duration ttl) {
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl: " + ttl + " (expected: > 0)");
    }
    return ttl.compareTo(Duration.ofMillis(MAX_TTL_MILLIS)) > 0
        ? MAX_TTL_MILLIS
        : Math.max(1, ttl.toMillis());
  }
}
