package io.gim.store.redis.internal;

import io.gim.spi.cluster.RoomBus;
import io.gim.spi.cluster.RoomEvent;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/** PLACEHOLDER until its helper lands. */
public final class RedisRoomBus implements RoomBus, AutoCloseable {
  public RedisRoomBus(RedisTarget target, Keys keys) {}

  public CompletionStage<Void> publish(RoomEvent event) {
    throw new UnsupportedOperationException();
  }

  public CompletionStage<Subscription> subscribe(Consumer<RoomEvent> listener) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void close() {}
}
