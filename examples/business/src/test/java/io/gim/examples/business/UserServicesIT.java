package io.gim.examples.business;

import static io.gim.examples.business.GrpcTestClient.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import io.gim.grpc.business.AuthRequest;
import io.gim.grpc.business.GetUserRequest;
import io.gim.grpc.business.GetUsersRequest;
import io.gim.grpc.business.SearchUserRequest;
import io.gim.grpc.business.SignInReply;
import io.gim.grpc.business.SignInRequest;
import io.gim.grpc.business.UpdateUserRequest;
import io.gim.grpc.business.UserExtServiceGrpc;
import io.gim.grpc.logic.Device;
import io.gim.spi.store.DeviceType;
import io.grpc.Status;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** UserExtService and UserIntService over real ports, and the Ext authentication in front. */
class UserServicesIT extends ServerFixture {

  @Test
  void theFirstSignInOfANumberCreatesTheUserAndTheNextReusesIt() {
    String phone = GrpcTestClient.phone();
    GrpcTestClient.Session first = grpc.signIn(phone);
    GrpcTestClient.Session second = grpc.signIn(phone);

    assertThat(first.isNew()).isTrue();
    assertThat(second.isNew()).isFalse();
    assertThat(second.userId()).isEqualTo(first.userId());
    assertThat(second.deviceId()).isNotEqualTo(first.deviceId());
    assertThat(first.token()).hasSizeGreaterThanOrEqualTo(32).isNotEqualTo(second.token());
    var devices = server.gim().devices().list(first.userId()).toCompletableFuture().join();
    assertThat(devices).extracting(d -> d.id()).contains(first.deviceId(), second.deviceId());
    assertThat(devices).allSatisfy(d -> assertThat(d.type()).isEqualTo(DeviceType.ANDROID));
  }

  @Test
  void signingInAgainWithItsDeviceIdKeepsTheDeviceButNotAnotherUsersDevice() {
    String annPhone = GrpcTestClient.phone();
    GrpcTestClient.Session ann = grpc.signIn(annPhone);
    GrpcTestClient.Session bob = grpc.signIn(GrpcTestClient.phone());
    UserExtServiceGrpc.UserExtServiceBlockingStub stub = grpc.anonymous();

    SignInReply again = stub.signIn(signIn(annPhone, ann.deviceId()));
    SignInReply stolen = stub.signIn(signIn(annPhone, bob.deviceId()));

    assertThat(again.getDeviceId()).isEqualTo(ann.deviceId());
    assertThat(stolen.getDeviceId()).isNotIn(ann.deviceId(), bob.deviceId());
  }

  private static SignInRequest signIn(String phone, long deviceId) {
    return SignInRequest.newBuilder()
        .setPhoneNumber(phone)
        .setCode("0000")
        .setDevice(Device.newBuilder().setId(deviceId))
        .build();
  }

  @Test
  void aWrongCodeIsRefusedWith10300AndAnEmptyPhoneWith10001() {
    var stub = grpc.anonymous();
    assertFails(
        () ->
            stub.signIn(
                SignInRequest.newBuilder()
                    .setPhoneNumber(GrpcTestClient.phone())
                    .setCode("1234")
                    .build()),
        Status.Code.INTERNAL,
        10300);
    assertFails(
        () -> stub.signIn(SignInRequest.newBuilder().setCode("0000").build()),
        Status.Code.INVALID_ARGUMENT,
        10001);
  }

  @Test
  void callsWithoutOrWithMalformedCredentialsAreUnauthenticated() {
    GrpcTestClient.Session ann = grpc.signIn(GrpcTestClient.phone());

    assertFails(
        () -> grpc.anonymous().getUser(GetUserRequest.getDefaultInstance()),
        Status.Code.UNAUTHENTICATED,
        10000);
    assertFails(
        () -> ann.as(ann.userId(), ann.deviceId(), "x" + ann.token()).users().getUser(get(0)),
        Status.Code.UNAUTHENTICATED,
        10000);
    assertFails(
        () -> ann.as(ann.userId() + 1, ann.deviceId(), ann.token()).users().getUser(get(0)),
        Status.Code.UNAUTHENTICATED,
        10000);
  }

  @Test
  void theTokenOfAnotherDeviceOfTheSameUserIsRefused() {
    String phone = GrpcTestClient.phone();
    GrpcTestClient.Session phoneDevice = grpc.signIn(phone);
    GrpcTestClient.Session laptop = grpc.signIn(phone);

    assertFails(
        () ->
            phoneDevice
                .as(laptop.userId(), laptop.deviceId(), phoneDevice.token())
                .users()
                .getUser(get(0)),
        Status.Code.UNAUTHENTICATED,
        10000);
    assertThat(laptop.users().getUser(get(0)).getUser().getUserId()).isEqualTo(laptop.userId());
  }

  @Test
  void anExpiredTokenIsRefusedOnTheExtAndIntPorts() {
    GrpcTestClient.Session ann = grpc.signIn(GrpcTestClient.phone());
    assertThat(ann.users().getUser(get(0)).getUser().getUserId()).isEqualTo(ann.userId());

    clock.advance(Duration.ofDays(91));

    assertFails(() -> ann.users().getUser(get(0)), Status.Code.UNAUTHENTICATED, 10000);
    assertFails(() -> grpc.userInt().auth(auth(ann)), Status.Code.UNAUTHENTICATED, 10000);
    GrpcTestClient.Session fresh = grpc.signIn(GrpcTestClient.phone());
    assertThat(fresh.users().getUser(get(0)).getUser().getUserId()).isEqualTo(fresh.userId());
  }

  @Test
  void getUserHonoursTheUserIdAndAnUnknownOneIs10301() {
    GrpcTestClient.Session ann = grpc.newUser("ann");
    GrpcTestClient.Session bob = grpc.newUser("bob");

    assertThat(ann.users().getUser(get(0)).getUser().getNickname()).isEqualTo("ann");
    assertThat(ann.users().getUser(get(bob.userId())).getUser().getNickname()).isEqualTo("bob");
    assertFails(() -> ann.users().getUser(get(Long.MAX_VALUE)), Status.Code.INTERNAL, 10301);
  }

  @Test
  void updateUserChangesOnlyTheCallerAndRefusesOverlongFields() {
    GrpcTestClient.Session ann = grpc.newUser("ann");
    ann.users()
        .updateUser(
            UpdateUserRequest.newBuilder()
                .setNickname("Ann")
                .setSex(2)
                .setAvatarUrl("https://img/ann.png")
                .setExtra("{}")
                .build());

    var user = ann.users().getUser(get(0)).getUser();
    assertThat(user.getNickname()).isEqualTo("Ann");
    assertThat(user.getSex()).isEqualTo(2);
    assertThat(user.getAvatarUrl()).isEqualTo("https://img/ann.png");
    assertThat(user.getUpdateTime()).isGreaterThanOrEqualTo(user.getCreateTime());
    assertFails(
        () ->
            ann.users()
                .updateUser(UpdateUserRequest.newBuilder().setNickname("n".repeat(65)).build()),
        Status.Code.INVALID_ARGUMENT,
        10001);
  }

  @Test
  void searchFindsAnExactPhoneOrANicknamePrefix() {
    String phone = GrpcTestClient.phone();
    GrpcTestClient.Session ann = grpc.signIn(phone);
    String nick = "srch" + ann.userId();
    ann.users().updateUser(UpdateUserRequest.newBuilder().setNickname(nick + "-ann").build());

    assertThat(ann.users().searchUser(search(phone)).getUsersList())
        .extracting(u -> u.getUserId())
        .containsExactly(ann.userId());
    assertThat(ann.users().searchUser(search(nick)).getUsersList())
        .extracting(u -> u.getNickname())
        .containsExactly(nick + "-ann");
    assertThat(ann.users().searchUser(search(phone.substring(0, 5))).getUsersList()).isEmpty();
    assertThat(ann.users().searchUser(search("")).getUsersList()).isEmpty();
  }

  @Test
  void userIntAuthAcceptsExactlyTheIssuedDeviceToken() {
    GrpcTestClient.Session ann = grpc.signIn(GrpcTestClient.phone());

    grpc.userInt().auth(auth(ann));
    assertFails(
        () -> grpc.userInt().auth(auth(ann.as(ann.userId(), ann.deviceId() + 1, ann.token()))),
        Status.Code.UNAUTHENTICATED,
        10000);
    assertFails(
        () -> grpc.userInt().auth(AuthRequest.getDefaultInstance()),
        Status.Code.UNAUTHENTICATED,
        10000);
  }

  @Test
  void userIntGetUsersIsKeyedByIdAndLeavesUnknownIdsOut() {
    GrpcTestClient.Session ann = grpc.newUser("ann");
    GrpcTestClient.Session bob = grpc.newUser("bob");

    var users =
        grpc.userInt()
            .getUsers(
                GetUsersRequest.newBuilder()
                    .putUserIds(ann.userId(), 0)
                    .putUserIds(bob.userId(), 0)
                    .putUserIds(Long.MAX_VALUE, 0)
                    .build())
            .getUsersMap();

    assertThat(users).containsOnlyKeys(ann.userId(), bob.userId());
    assertThat(users.get(bob.userId()).getNickname()).isEqualTo("bob");
    assertThat(grpc.userInt().getUser(get(ann.userId())).getUser().getNickname()).isEqualTo("ann");
    assertFails(() -> grpc.userInt().getUser(get(0)), Status.Code.INVALID_ARGUMENT, 10001);
  }

  private static GetUserRequest get(long id) {
    return GetUserRequest.newBuilder().setUserId(id).build();
  }

  private static SearchUserRequest search(String key) {
    return SearchUserRequest.newBuilder().setKey(key).build();
  }

  private static AuthRequest auth(GrpcTestClient.Session s) {
    return AuthRequest.newBuilder()
        .setUserId(s.userId())
        .setDeviceId(s.deviceId())
        .setToken(s.token())
        .build();
  }
}
