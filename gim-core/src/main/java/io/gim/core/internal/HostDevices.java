package io.gim.core.internal;

import io.gim.core.Devices;
import io.gim.spi.Stores;
import io.gim.spi.cluster.PresenceRegistry;
import io.gim.spi.cluster.Route;
import io.gim.spi.store.Device;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/** The host's {@link Devices}: records from the device store, presence from the registry. */
public final class HostDevices implements Devices {
  private final Stores stores;
  private final PresenceRegistry presence;

  /** Devices over {@code stores} and {@code presence}. */
  public HostDevices(Stores stores, PresenceRegistry presence) {
    this.stores = stores;
    this.presence = presence;
  }

  @Override
  public CompletionStage<Long> save(Device device) {
    return stores.devices().save(device);
  }

  @Override
  public CompletionStage<List<Device>> list(long userId) {
    return stores.devices().list(userId);
  }

  @Override
  public CompletionStage<List<Route>> online(long userId) {
    return presence.lookup(Set.of(userId)).thenApply(m -> m.getOrDefault(userId, List.of()));
  }
}
