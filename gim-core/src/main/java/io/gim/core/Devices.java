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

  /**
   * Moves the connection of device {@code (userId, deviceId)} on this node into room {@code roomId}
   * (0 leaves its room), as its own {@code PC_SUBSCRIBE_ROOM} would. Fails with 10101 (connection
   * not found) if the device is not signed in on this node.
   */
  CompletionStage<Void> subscribeRoom(long userId, long deviceId, long roomId);

  /**
   * Signs device {@code (userId, deviceId)} out wherever it is connected: its connection gets
   * {@code PC_KICK_OUT} and is closed (code 10000 on this node; a connection on another node is
   * kicked through the node link, which says 10301). Completes when the kicks were sent; a device
   * that is not connected is not an error.
   */
  CompletionStage<Void> signOut(long userId, long deviceId);
}
