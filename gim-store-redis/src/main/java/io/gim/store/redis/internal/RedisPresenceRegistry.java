package io.gim.store.redis.internal;

import io.gim.spi.cluster.PresenceRegistry;
import io.gim.spi.cluster.Route;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/** PLACEHOLDER until its helper lands. */
public final class RedisPresenceRegistry implements PresenceRegistry, AutoCloseable {
  public RedisPresenceRegistry(RedisTarget target, Keys keys) {}

  public CompletionStage<Void> register(Route route, Duration ttl) {
    throw new UnsupportedOperationException();
  }

  public CompletionStage<Void> unregister(Route route) {
    throw new UnsupportedOperationException();
  }

  public CompletionStage<Map<Long, List<Route>>> lookup(Collection<Long> userIds) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void close() {}
}
