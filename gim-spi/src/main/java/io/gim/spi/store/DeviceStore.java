package io.gim.spi.store;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Device records per user.
 *
 * <p>Thread-safe; no method blocks.
 */
public interface DeviceStore {

  /** Inserts or replaces a device (a new id when {@code device.id()} is 0); returns its id. */
  CompletionStage<Long> save(Device device);

  /** The device, or empty. */
  CompletionStage<Optional<Device>> get(long deviceId);

  /** The devices of a user, ordered by id. */
  CompletionStage<List<Device>> list(long userId);
}
