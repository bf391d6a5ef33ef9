package io.gim.core.internal;

import io.gim.core.Devices;
import io.gim.spi.DeviceKey;
import io.gim.spi.GimErrorCode;
import io.gim.spi.GimException;
import io.gim.spi.Stores;
import io.gim.spi.cluster.NodeLink;
import io.gim.spi.cluster.PresenceRegistry;
import io.gim.spi.cluster.Route;
import io.gim.spi.store.Device;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The host's {@link Devices}: records from the device store, presence from the registry, this
 * node's connections from its sessions. Thread-safe.
 */
final class HostDevices implements Devices {
  private final Stores stores;
  private final PresenceRegistry presence;
  private final SessionRegistry sessions;
  private final String nodeId;
  private volatile NodeLink link;

  HostDevices(Stores stores, PresenceRegistry presence, SessionRegistry sessions, String nodeId) {
    this.stores = stores;
    this.presence = presence;
    this.sessions = sessions;
    this.nodeId = nodeId;
  }

  /** Signs devices out on other nodes too from now on. */
  void reachOtherNodes(NodeLink link) {
    this.link = link;
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

  @Override
  public CompletionStage<Void> subscribeRoom(long userId, long deviceId, long roomId) {
    if (userId <= 0 || deviceId <= 0) {
      return badDevice();
    }
    Session session = sessions.get(new DeviceKey(userId, deviceId));
    if (session == null) {
      return CompletableFuture.failedFuture(
          new GimException(GimErrorCode.CONNECTION_NOT_FOUND, "device not connected"));
    }
    return session.subscribeFromHost(roomId);
  }

  @Override
  public CompletionStage<Void> signOut(long userId, long deviceId) {
    if (userId <= 0 || deviceId <= 0) {
      return badDevice();
    }
    DeviceKey device = new DeviceKey(userId, deviceId);
    Session here = sessions.get(device);
    if (here != null) {
      here.kickOut(GimErrorCode.UNAUTHORIZED.code(), "signed out");
    }
    NodeLink other = link;
    if (other == null) {
      return CompletableFuture.completedFuture(null);
    }
    return online(userId)
        .thenCompose(
            routes -> {
              List<CompletableFuture<Void>> kicks = new ArrayList<>();
              for (Route r : routes) {
                if (r.deviceId() == deviceId && !r.nodeId().equals(nodeId)) {
                  kicks.add(other.kick(r.nodeId(), device, r.connectionId()).toCompletableFuture());
                }
              }
              return CompletableFuture.allOf(kicks.toArray(CompletableFuture[]::new));
            });
  }

  private static <T> CompletionStage<T> badDevice() {
    return CompletableFuture.failedFuture(
        new GimException(GimErrorCode.BAD_REQUEST, "user_id and device_id must be > 0"));
  }
}
