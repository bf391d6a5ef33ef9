package io.gim.grpc;

import com.google.protobuf.Empty;
import io.gim.core.Devices;
import io.gim.grpc.logic.DeviceIntServiceGrpc;
import io.gim.grpc.logic.DeviceSaveReply;
import io.gim.grpc.logic.DeviceSaveRequest;
import io.gim.grpc.logic.HeartbeatRequest;
import io.gim.grpc.logic.OfflineRequest;
import io.gim.grpc.logic.SignInReply;
import io.gim.grpc.logic.SignInRequest;
import io.gim.spi.AuthProvider;
import io.gim.spi.AuthResult;
import io.gim.spi.GimErrorCode;
import io.gim.spi.GimException;
import io.gim.spi.store.Device;
import io.gim.spi.store.DeviceType;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code logic.DeviceIntService}: device records, the host's credential check, and whether a device
 * is online. Thread-safe; no method blocks.
 *
 * <p>{@code Device.user_id} (field 8) is an extension: GIM's backends save a device before its
 * owner signs in and do not send it. 0 is therefore accepted and stores a record with no owner,
 * which no user lists until it is saved again with its {@code user_id}.
 */
final class DeviceIntApi extends DeviceIntServiceGrpc.DeviceIntServiceImplBase {
  private final Devices devices;
  private final AuthProvider auth;

  DeviceIntApi(Devices devices, AuthProvider auth) {
    this.devices = devices;
    this.auth = auth;
  }

  /** Inserts or replaces a device record (a new id when {@code device.id} is 0); returns its id. */
  @Override
  public void save(DeviceSaveRequest request, StreamObserver<DeviceSaveReply> out) {
    Calls.answer(
        () -> {
          if (!request.hasDevice()) {
            return Calls.badRequest("device: missing");
          }
          io.gim.grpc.logic.Device d = request.getDevice();
          if (d.getId() < 0) {
            return Calls.badRequest(Calls.badId("device.id", d.getId()));
          }
          if (d.getUserId() < 0) {
            return Calls.badRequest(Calls.badId("device.user_id", d.getUserId()));
          }
          return devices.save(
              new Device(
                  d.getId(),
                  d.getUserId(),
                  DeviceType.ofNumber(d.getTypeValue()),
                  d.getBrand(),
                  d.getModel(),
                  d.getSystemVersion(),
                  d.getSdkVersion(),
                  d.getBranchPushId()));
        },
        id -> DeviceSaveReply.newBuilder().setDeviceId(id).build(),
        out);
  }

  /**
   * Asks the host's {@link AuthProvider} about (user_id, device_id, token), as a long-connection
   * sign-in would: OK, or UNAUTHENTICATED with the provider's code (10000 by default) and message.
   * Nothing is signed in: GIM's connect node calls this before it binds its own connection.
   */
  @Override
  public void signIn(SignInRequest request, StreamObserver<SignInReply> out) {
    if (!Calls.isId(request.getUserId()) || !Calls.isId(request.getDeviceId())) {
      out.onError(
          GimStatus.toStatus(GimErrorCode.BAD_REQUEST, "user_id and device_id must be > 0"));
      return;
    }
    CompletionStage<AuthResult> decision;
    try {
      decision = auth.authenticate(request.getUserId(), request.getDeviceId(), request.getToken());
    } catch (RuntimeException e) {
      decision = CompletableFuture.failedFuture(e);
    }
    decision.whenComplete(
        (result, failure) -> {
          if (failure == null && result instanceof AuthResult.Allowed) {
            out.onNext(SignInReply.getDefaultInstance());
            out.onCompleted();
          } else if (failure == null && result instanceof AuthResult.Denied denied) {
            out.onError(GimStatus.refused(denied.code(), denied.message()));
          } else {
            out.onError(GimStatus.authFailure(failure));
          }
        });
  }

  /** OK if the device is signed in now on any node, else 10101 (connection not found). */
  @Override
  public void heartbeat(HeartbeatRequest request, StreamObserver<Empty> out) {
    long user = request.getUserId();
    long device = request.getDeviceId();
    Calls.empty(
        () -> {
          if (!Calls.isId(user) || !Calls.isId(device)) {
            return Calls.badRequest("user_id and device_id must be > 0");
          }
          return devices
              .online(user)
              .thenCompose(
                  routes ->
                      routes.stream().anyMatch(r -> r.deviceId() == device)
                          ? CompletableFuture.completedFuture(null)
                          : CompletableFuture.failedFuture(
                              new GimException(
                                  GimErrorCode.CONNECTION_NOT_FOUND, "device not connected")));
        },
        out);
  }

  /**
   * Signs the device out wherever it is connected (its connection gets PC_KICK_OUT and is closed);
   * a device that is not connected is not an error.
   */
  @Override
  public void offline(OfflineRequest request, StreamObserver<Empty> out) {
    Calls.empty(() -> devices.signOut(request.getUserId(), request.getDeviceId()), out);
  }
}
