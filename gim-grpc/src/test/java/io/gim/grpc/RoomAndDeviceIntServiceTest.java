package io.gim.grpc;

import static io.gim.grpc.InProcessApi.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import io.gim.grpc.logic.Device;
import io.gim.grpc.logic.DeviceSaveRequest;
import io.gim.grpc.logic.DeviceType;
import io.gim.grpc.logic.HeartbeatRequest;
import io.gim.grpc.logic.OfflineRequest;
import io.gim.grpc.logic.PushRoomRequest;
import io.gim.grpc.logic.SignInRequest;
import io.gim.grpc.logic.SubscribeRoomRequest;
import io.grpc.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * logic.RoomIntService and logic.DeviceIntService without connections (LiveGrpcIT covers devices
 * connected over TCP).
 */
class RoomAndDeviceIntServiceTest {
  private final InProcessApi api;

  RoomAndDeviceIntServiceTest() throws Exception {
    api = new InProcessApi();
  }

  @AfterEach
  void close() {
    api.close();
  }

  @Test
  void pushRoomToAnEmptyRoomIsAcceptedAndRoomZeroIsABadRequest() {
    assertThat(api.rooms().pushRoom(PushRoomRequest.newBuilder().setRoomId(5).build())).isNotNull();
    assertFails(
        () -> api.rooms().pushRoom(PushRoomRequest.getDefaultInstance()),
        Status.Code.INVALID_ARGUMENT,
        10001);
  }

  @Test
  void subscribingADeviceWithoutAConnectionHereIsConnectionNotFound() {
    assertFails(
        () ->
            api.rooms()
                .subscribeRoom(
                    SubscribeRoomRequest.newBuilder()
                        .setUserId(1)
                        .setDeviceId(1)
                        .setRoomId(5)
                        .build()),
        Status.Code.NOT_FOUND,
        10101);
    assertFails(
        () ->
            api.rooms()
                .subscribeRoom(
                    SubscribeRoomRequest.newBuilder().setDeviceId(1).setRoomId(5).build()),
        Status.Code.INVALID_ARGUMENT,
        10001);
  }

  @Test
  void saveStoresTheDeviceForItsUserAndReturnsItsId() {
    long id =
        api.devices()
            .save(
                DeviceSaveRequest.newBuilder()
                    .setDevice(
                        Device.newBuilder()
                            .setUserId(7)
                            .setType(DeviceType.DT_IOS)
                            .setBrand("apple")
                            .setModel("15")
                            .setSystemVersion("17.1")
                            .setSdkVersion("1.0")
                            .setBranchPushId("push-1"))
                    .build())
            .getDeviceId();

    var stored = api.server.devices().list(7).toCompletableFuture().join();
    assertThat(stored)
        .containsExactly(
            new io.gim.spi.store.Device(
                id, 7, io.gim.spi.store.DeviceType.IOS, "apple", "15", "17.1", "1.0", "push-1"));
  }

  @Test
  void saveWithoutAUserIdAsGimsBackendsSendItStoresAnUnownedRecord() {
    long id =
        api.devices()
            .save(
                DeviceSaveRequest.newBuilder()
                    .setDevice(Device.newBuilder().setType(DeviceType.DT_ANDROID))
                    .build())
            .getDeviceId();

    assertThat(id).isPositive();
    api.devices()
        .save(
            DeviceSaveRequest.newBuilder()
                .setDevice(Device.newBuilder().setId(id).setUserId(9))
                .build());
    assertThat(api.server.devices().list(9).toCompletableFuture().join())
        .extracting(io.gim.spi.store.Device::id)
        .containsExactly(id);
    assertFails(
        () -> api.devices().save(DeviceSaveRequest.getDefaultInstance()),
        Status.Code.INVALID_ARGUMENT,
        10001);
  }

  @Test
  void signInAsksTheAuthProviderForThatDevice() {
    assertThat(
            api.devices()
                .signIn(
                    SignInRequest.newBuilder()
                        .setUserId(7)
                        .setDeviceId(1)
                        .setToken(InProcessApi.token(7, 1))
                        .build()))
        .isNotNull();
    assertFails(
        () ->
            api.devices()
                .signIn(
                    SignInRequest.newBuilder()
                        .setUserId(7)
                        .setDeviceId(2)
                        .setToken(InProcessApi.token(7, 1))
                        .build()),
        Status.Code.UNAUTHENTICATED,
        10000);
    assertFails(
        () ->
            api.devices()
                .signIn(
                    SignInRequest.newBuilder()
                        .setUserId(7)
                        .setDeviceId(1)
                        .setToken("banned")
                        .build()),
        Status.Code.UNAUTHENTICATED,
        10310);
    assertFails(
        () -> api.devices().signIn(SignInRequest.newBuilder().setUserId(7).build()),
        Status.Code.INVALID_ARGUMENT,
        10001);
  }

  @Test
  void heartbeatOfADeviceThatIsNotOnlineIsConnectionNotFound() {
    assertFails(
        () ->
            api.devices()
                .heartbeat(HeartbeatRequest.newBuilder().setUserId(7).setDeviceId(1).build()),
        Status.Code.NOT_FOUND,
        10101);
    assertFails(
        () -> api.devices().heartbeat(HeartbeatRequest.getDefaultInstance()),
        Status.Code.INVALID_ARGUMENT,
        10001);
  }

  @Test
  void offlineOfADeviceThatIsNotConnectedIsNotAnError() {
    assertThat(
            api.devices().offline(OfflineRequest.newBuilder().setUserId(7).setDeviceId(1).build()))
        .isNotNull();
    assertFails(
        () -> api.devices().offline(OfflineRequest.newBuilder().setUserId(7).build()),
        Status.Code.INVALID_ARGUMENT,
        10001);
  }
}
