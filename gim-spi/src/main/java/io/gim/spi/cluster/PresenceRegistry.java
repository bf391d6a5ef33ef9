package io.gim.spi.cluster;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Which node holds which device's connection. One route per device: registering a device again
 * replaces its route. Routes expire after their TTL unless registered again (heartbeats do).
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
}
