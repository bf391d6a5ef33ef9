package io.gim.grpc;

import com.google.protobuf.Empty;
import io.gim.core.Devices;
import io.gim.core.Messages;
import io.gim.grpc.logic.PushRoomRequest;
import io.gim.grpc.logic.RoomIntServiceGrpc;
import io.gim.grpc.logic.SubscribeRoomRequest;
import io.grpc.stub.StreamObserver;

/**
 * {@code logic.RoomIntService}: live pushes to a room's subscribers on every node, and moving a
 * connected device into a room. Rooms keep nothing, so {@code SubscribeRoomRequest.seq} (GIM's
 * cursor into a room's recent messages) is ignored, and {@code PushRoomRequest.send_time} too:
 * {@code created_at} is the time the server accepted the push. Thread-safe; no method blocks.
 */
final class RoomIntApi extends RoomIntServiceGrpc.RoomIntServiceImplBase {
  private final Messages messages;
  private final Devices devices;

  RoomIntApi(Messages messages, Devices devices) {
    this.messages = messages;
    this.devices = devices;
  }

  /** Pushes to the room's current subscribers ({@code is_priority}: ahead of queued pushes). */
  @Override
  public void pushRoom(PushRoomRequest request, StreamObserver<Empty> out) {
    Calls.empty(
        () -> {
          if (!Calls.isId(request.getRoomId())) {
            return Calls.badRequest(Calls.badId("room_id", request.getRoomId()));
          }
          return messages.pushToRoom(
              request.getRoomId(),
              request.getCommandValue(),
              request.getContent().toByteArray(),
              request.getIsPriority());
        },
        out);
  }

  /**
   * Moves the connection of device (user_id, device_id) on this node into room_id (0 leaves its
   * room), as its own PC_SUBSCRIBE_ROOM would; 10101 if that device has no connection on this node.
   */
  @Override
  public void subscribeRoom(SubscribeRoomRequest request, StreamObserver<Empty> out) {
    Calls.empty(
        () -> {
          if (!Calls.isId(request.getUserId())) {
            return Calls.badRequest(Calls.badId("user_id", request.getUserId()));
          }
          if (!Calls.isId(request.getDeviceId())) {
            return Calls.badRequest(Calls.badId("device_id", request.getDeviceId()));
          }
          if (request.getRoomId() < 0) {
            return Calls.badRequest(Calls.badId("room_id", request.getRoomId()));
          }
          return devices.subscribeRoom(
              request.getUserId(), request.getDeviceId(), request.getRoomId());
        },
        out);
  }
}
