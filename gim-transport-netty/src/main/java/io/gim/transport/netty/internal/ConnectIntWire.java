package io.gim.transport.netty.internal;

import com.google.protobuf.Empty;
import com.google.protobuf.InvalidProtocolBufferException;
import io.gim.protocol.KickDeviceRequest;
import io.gim.protocol.Message;
import io.gim.protocol.PushToDevicesRequest;
import io.gim.spi.DeviceKey;
import io.gim.spi.cluster.NodeLink;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;

/**
 * The wire of {@code connect.ConnectIntService}: its two methods, written by hand instead of
 * generated (the service is small and this keeps the gRPC code generator out of the build), and the
 * conversions between its messages and {@link NodeLink}'s records. Immutable and thread-safe.
 */
public final class ConnectIntWire {
  public static final String SERVICE = "connect.ConnectIntService";

  public static final MethodDescriptor<PushToDevicesRequest, Empty> PUSH_TO_DEVICES =
      unary("PushToDevices", PushToDevicesRequest.getDefaultInstance());

  public static final MethodDescriptor<KickDeviceRequest, Empty> KICK_DEVICE =
      unary("KickDevice", KickDeviceRequest.getDefaultInstance());

  private ConnectIntWire() {}

  private static <Q extends com.google.protobuf.Message> MethodDescriptor<Q, Empty> unary(
      String method, Q requestPrototype) {
    return MethodDescriptor.<Q, Empty>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, method))
        .setRequestMarshaller(ProtoUtils.marshaller(requestPrototype))
        .setResponseMarshaller(ProtoUtils.marshaller(Empty.getDefaultInstance()))
        .build();
  }

  /**
   * The request for {@code messages}. Each message is parsed once to embed it: the wire field is a
   * {@code Message}, not bytes.
   *
   * @throws InvalidProtocolBufferException if a message is not an encoded {@code Message}
   */
  public static PushToDevicesRequest pushRequest(List<NodeLink.DeviceMessage> messages)
      throws InvalidProtocolBufferException {
    PushToDevicesRequest.Builder request = PushToDevicesRequest.newBuilder();
    for (NodeLink.DeviceMessage m : messages) {
      request.addDeviceMessages(
          io.gim.protocol.DeviceMessage.newBuilder()
              .setUserId(m.device().userId())
              .setDeviceId(m.device().deviceId())
              .setMessage(Message.parseFrom(m.message())));
    }
    return request.build();
  }

  /** The request to kick {@code device} if its connection is still {@code connectionId}. */
  public static KickDeviceRequest kickRequest(DeviceKey device, long connectionId) {
    return KickDeviceRequest.newBuilder()
        .setUserId(device.userId())
        .setDeviceId(device.deviceId())
        .setConnectionId(connectionId)
        .build();
  }

  /**
   * The service handing calls to {@code receiver}. A request naming an invalid device fails with
   * {@code INVALID_ARGUMENT} and reaches no device; a receiver that throws fails the call with
   * {@code INTERNAL}.
   */
  public static ServerServiceDefinition service(NodeLink.Receiver receiver) {
    return ServerServiceDefinition.builder(SERVICE)
        .addMethod(
            PUSH_TO_DEVICES,
            ServerCalls.asyncUnaryCall(
                (request, response) ->
                    handle(response, () -> receiver.deliver(deviceMessages(request)))))
        .addMethod(
            KICK_DEVICE,
            ServerCalls.asyncUnaryCall(
                (request, response) ->
                    handle(
                        response,
                        () ->
                            receiver.kick(
                                DeviceKey.of(request.getUserId(), request.getDeviceId()),
                                request.getConnectionId()))))
        .build();
  }

  private static List<NodeLink.DeviceMessage> deviceMessages(PushToDevicesRequest request) {
    List<NodeLink.DeviceMessage> out = new ArrayList<>(request.getDeviceMessagesCount());
    for (io.gim.protocol.DeviceMessage m : request.getDeviceMessagesList()) {
      out.add(
          new NodeLink.DeviceMessage(
              DeviceKey.of(m.getUserId(), m.getDeviceId()), m.getMessage().toByteArray()));
    }
    return out;
  }

  private static void handle(StreamObserver<Empty> response, Runnable call) {
    try {
      call.run();
    } catch (IllegalArgumentException e) {
      response.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asException());
      return;
    } catch (RuntimeException e) {
      // The receiver's own text stays on this node: the caller learns only that it failed.
      response.onError(Status.INTERNAL.withDescription("receiver failed").asException());
      return;
    }
    response.onNext(Empty.getDefaultInstance());
    response.onCompleted();
  }
}
