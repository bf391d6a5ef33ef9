package io.gim.core;

import io.gim.spi.cluster.Route;
import io.gim.spi.store.Device;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Device records and who is online. Obtained from {@link GimServer#devices()}.
 *
 * <p>Thread-safe; no method blocks.
 */
public interface Devices {

  /** Inserts or replaces a device record; returns its id. */
  CompletionStage<Long> save(Device device);

  /** The device records of a user, ordered by id. */
  CompletionStage<List<Device>> list(long userId);

  /** The devices of a user signed in now, on any node. */
  CompletionStage<List<Route>> online(long userId);
}
