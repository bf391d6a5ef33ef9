package io.gim.store.redis.internal;

import io.gim.spi.store.Device;
import io.gim.spi.store.DeviceStore;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** PLACEHOLDER until its helper lands. */
public final class RedisDeviceStore implements DeviceStore {
  public RedisDeviceStore(RedisTarget target, Keys keys) {}

  public CompletionStage<Long> save(Device device) {
    throw new UnsupportedOperationException();
  }

  public CompletionStage<Optional<Device>> get(long deviceId) {
    throw new UnsupportedOperationException();
  }

  public CompletionStage<List<Device>> list(long userId) {
    throw new UnsupportedOperationException();
  }
}
