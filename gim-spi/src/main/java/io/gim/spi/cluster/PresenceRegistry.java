package io.gim.spi.cluster;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Which node holds which device's connection. One route per device: registering a device again
 * replaces its route. Routes expire after their TTL unless registered again (heartbeats do).
 *
 * <p>Nodes: a registry shared by several nodes may also track which nodes are alive. Each node
 * calls {@link #heartbeatNode} periodically; once a node's liveness lapses, lookups drop its
 * routes even before they expire, and the node's next heartbeat tells it to register its routes
 * again. A registry of one node (the in-memory one) needs none of this and keeps the defaults.
 *
 * <p>Thread-safe; no method blocks.
 */
public interface PresenceRegistry {

  /** Registers or refreshes a route for {@code ttl}. */
  CompletionStage<Void> register(Route route, Duration ttl);

  /** Removes the device's route only if it is still exactly {@code route}. */
  CompletionStage<Void> unregister(Route route);

  /** The live routes of each user that has any; users without routes are absent. */
  CompletionStage<Map<Long, List<Route>>> lookup(Collection<Long> userIds);

  /**
   * Marks {@code nodeId} alive for {@code ttl}. Completes with true when the node was not alive
   * just before (its first heartbeat, a lapse longer than its TTL, or a registry that lost its
   * data): the node should then register the routes of its connections again. The default keeps
   * nothing and completes with false.
   */
  default CompletionStage<Boolean> heartbeatNode(String nodeId, Duration ttl) {
    return CompletableFuture.completedFuture(false);
  }

  /** The nodes alive now (by their heartbeats); the default knows of none. */
  default CompletionStage<Set<String>> liveNodes() {
    return CompletableFuture.completedFuture(Set.of());
  }
}
