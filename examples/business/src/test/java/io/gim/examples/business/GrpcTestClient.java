package io.gim.examples.business;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gim.grpc.ExtAuth;
import io.gim.grpc.GimStatus;
import io.gim.grpc.business.FriendExtServiceGrpc;
import io.gim.grpc.business.GroupExtServiceGrpc;
import io.gim.grpc.business.SignInReply;
import io.gim.grpc.business.SignInRequest;
import io.gim.grpc.business.UserExtServiceGrpc;
import io.gim.grpc.business.UserIntServiceGrpc;
import io.gim.grpc.logic.Device;
import io.gim.grpc.logic.DeviceType;
import io.gim.grpc.logic.MessageExtServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Channels to a {@link BusinessServer}'s two gRPC ports, and signed-in users' stubs. */
final class GrpcTestClient implements AutoCloseable {
  final ManagedChannel ext;
  final ManagedChannel internal;

  GrpcTestClient(BusinessServer server) {
    this.ext = NettyChannelBuilder.forAddress("127.0.0.1", server.extPort()).usePlaintext().build();
    this.internal =
        NettyChannelBuilder.forAddress("127.0.0.1", server.intPort()).usePlaintext().build();
  }

  /** A signed-in device with stubs that carry its credentials. */
  record Session(long userId, long deviceId, String token, boolean isNew, ManagedChannel channel) {
    Session as(long user, long device, String tok) {
      return new Session(user, device, tok, false, channel);
    }

    <S extends AbstractStub<S>> S auth(S stub) {
      Metadata m = new Metadata();
      m.put(ExtAuth.USER_ID, Long.toString(userId));
      m.put(ExtAuth.DEVICE_ID, Long.toString(deviceId));
      m.put(ExtAuth.TOKEN, token);
      return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(m))
          .withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    UserExtServiceGrpc.UserExtServiceBlockingStub users() {
      return auth(UserExtServiceGrpc.newBlockingStub(channel));
    }

    FriendExtServiceGrpc.FriendExtServiceBlockingStub friends() {
      return auth(FriendExtServiceGrpc.newBlockingStub(channel));
    }

    /** GIM's logic MessageExtService, on the same Ext port. */
    MessageExtServiceGrpc.MessageExtServiceBlockingStub messages() {
      return auth(MessageExtServiceGrpc.newBlockingStub(channel));
    }

    GroupExtServiceGrpc.GroupExtServiceBlockingStub groups() {
      return auth(GroupExtServiceGrpc.newBlockingStub(channel));
    }

    @Override
    public String toString() {
      return "Session[" + userId + "/" + deviceId + "]";
    }
  }

  UserExtServiceGrpc.UserExtServiceBlockingStub anonymous() {
    return UserExtServiceGrpc.newBlockingStub(ext).withDeadlineAfter(20, TimeUnit.SECONDS);
  }

  UserIntServiceGrpc.UserIntServiceBlockingStub userInt() {
    return UserIntServiceGrpc.newBlockingStub(internal).withDeadlineAfter(20, TimeUnit.SECONDS);
  }

  static String phone() {
    return "1" + ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_999_999_999L);
  }

  Session signIn(String phone) {
    SignInReply r =
        anonymous()
            .signIn(
                SignInRequest.newBuilder()
                    .setPhoneNumber(phone)
                    .setCode("0000")
                    .setDevice(Device.newBuilder().setType(DeviceType.DT_ANDROID).setModel("test"))
                    .build());
    return new Session(r.getUserId(), r.getDeviceId(), r.getToken(), r.getIsNew(), ext);
  }

  /** A new user with a nickname. */
  Session newUser(String nickname) {
    Session s = signIn(phone());
    s.users()
        .updateUser(
            io.gim.grpc.business.UpdateUserRequest.newBuilder().setNickname(nickname).build());
    return s;
  }

  /** Asserts that {@code call} fails with {@code status} and the trailer {@code gim-code}. */
  static void assertFails(ThrowingCallable call, Status.Code status, int gimCode) {
    assertThatThrownBy(call)
        .isInstanceOf(StatusRuntimeException.class)
        .satisfies(
            e -> {
              StatusRuntimeException s = (StatusRuntimeException) e;
              org.assertj.core.api.Assertions.assertThat(s.getStatus().getCode()).isEqualTo(status);
              org.assertj.core.api.Assertions.assertThat(s.getTrailers().get(GimStatus.GIM_CODE))
                  .isEqualTo(Integer.toString(gimCode));
              org.assertj.core.api.Assertions.assertThat(GimStatus.codeOf(s)).isEqualTo(gimCode);
            });
  }

  @Override
  public void close() throws InterruptedException {
    ext.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    internal.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}
