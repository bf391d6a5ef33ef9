package io.gim.spi.cluster;

import java.util.Objects;

/**
 * Where one signed-in device's connection lives.
 *
 * @param userId the signed-in user
 * @param deviceId the signed-in device
 * @param nodeId the node holding the connection
 * @param connectionId the node-local id of the connection, so that a late unregister of an older
 *     connection does not remove a newer one
 */
public record Route(long userId, long deviceId, String nodeId, long connectionId) {
  public Route {
    Objects.requireNonNull(nodeId, "nodeId");
  }
}
