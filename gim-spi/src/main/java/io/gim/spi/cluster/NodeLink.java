package io.gim.spi.cluster;

import io.gim.spi.DeviceKey;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * Calls from one node to another: deliver messages to devices connected there, kick a device there.
 * GIM's {@code ConnectIntService.PushToDevices} shape, with the user id beside the device id (a
 * device is the pair). Nodes are named by the {@link Route#nodeId()} under which they register
 * their routes; the link knows how to reach a node by that name.
 *
 * <p>A link is best effort: a message it fails to deliver is still stored, and the device gets it
 * by sync. Calls must not block the caller and must give up by a deadline; a slow or dead node must
 * not delay calls to the others.
 *
 * <p>Thread-safe.
 */
public interface NodeLink extends AutoCloseable {

  /**
   * Delivers {@code messages} to the devices of node {@code nodeId}, in one call. Completes when
   * the node took them (not when its devices did), or fails if it could not be reached in time.
   */
  CompletionStage<Void> deliver(String nodeId, List<DeviceMessage> messages);

  /**
   * Closes the connection of {@code device} on node {@code nodeId} with {@code PC_KICK_OUT} (signed
   * in elsewhere), if its connection there is still {@code connectionId}.
   */
  CompletionStage<Void> kick(String nodeId, DeviceKey device, long connectionId);

  /**
   * Starts taking calls from other nodes and hands them to {@code receiver}; completes when the
   * link listens. Called once by the server as it starts.
   */
  CompletionStage<Void> serve(Receiver receiver);

  /** Stops serving and closes the connections to other nodes; idempotent. */
  @Override
  void close();

  /** What a node does with the calls of other nodes: the engine. */
  interface Receiver {
    /** Delivers messages to this node's devices; devices not connected here are skipped. */
    void deliver(List<DeviceMessage> messages);

    /** Kicks a device's connection on this node if it is still {@code connectionId}. */
    void kick(DeviceKey device, long connectionId);
  }

  /**
   * One message for one device.
   *
   * @param device the receiving device
   * @param message the encoded {@code Message} to push, as on the long connection; not to be
   *     modified
   */
  record DeviceMessage(DeviceKey device, byte[] message) {
    public DeviceMessage {
      Objects.requireNonNull(device, "device");
      Objects.requireNonNull(message, "message");
    }
  }
}
