package io.gim.core.memory;

import static java.util.concurrent.CompletableFuture.completedFuture;

import io.gim.spi.store.Device;
import io.gim.spi.store.DeviceStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;

/**
 * A {@link DeviceStore} on the heap; thread-safe, and no method blocks: every stage is complete
 * when returned. Methods share one monitor held only for a few map operations; device records
 * change rarely, so that lock is not worth splitting.
 */
public final class InMemoryDeviceStore implements DeviceStore {
  private final Map<Long, Device> byId = new HashMap<>();
  private final Map<Long, TreeMap<Long, Device>> byUser = new HashMap<>();
  private long lastId;

  /** An empty store; thread-safe, non-blocking. */
  public InMemoryDeviceStore() {}

  /**
   * Inserts or replaces the device (a new id when its id is 0) and returns its id; thread-safe,
   * non-blocking.
   */
  @Override
  public synchronized CompletionStage<Long> save(Device device) {
    Device saved = device;
    if (device.id() == 0) {
      do {
        // Skips ids that a caller chose explicitly.
        lastId++;
      } while (byId.containsKey(lastId));
      saved = device.withId(lastId);
    }
    Device old = byId.put(saved.id(), saved);
    if (old != null && old.userId() != saved.userId()) {
      TreeMap<Long, Device> oldUser = byUser.get(old.userId());
      oldUser.remove(old.id());
      if (oldUser.isEmpty()) {
        byUser.remove(old.userId());
      }
    }
    byUser.computeIfAbsent(saved.userId(), u -> new TreeMap<>()).put(saved.id(), saved);
    return completedFuture(saved.id());
  }

  /** The device, or empty; thread-safe, non-blocking. */
  @Override
  public synchronized CompletionStage<Optional<Device>> get(long deviceId) {
    return completedFuture(Optional.ofNullable(byId.get(deviceId)));
  }

  /** The user's devices ordered by id; thread-safe, non-blocking. */
  @Override
  public synchronized CompletionStage<List<Device>> list(long userId) {
    TreeMap<Long, Device> devices = byUser.get(userId);
    return completedFuture(devices == null ? List.of() : List.copyOf(devices.values()));
  }
}
