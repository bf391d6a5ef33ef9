package io.gim.grpc;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gim.core.GimServer;
import io.gim.grpc.logic.DeviceIntServiceGrpc;
import io.gim.grpc.logic.GroupIntServiceGrpc;
import io.gim.grpc.logic.MessageExtServiceGrpc;
import io.gim.grpc.logic.MessageIntServiceGrpc;
import io.gim.grpc.logic.RoomIntServiceGrpc;
import io.gim.spi.AuthProvider;
import io.gim.spi.AuthResult;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/**
 * A started {@link GimServer} without listeners and its {@link GrpcApi}'s services on two
 * in-process gRPC servers, one per side, as a host with its own gRPC servers would run them.
 */
final class InProcessApi implements AutoCloseable {
  /**
   * Device-bound tokens: {@code "t-<user>-<device>"} is accepted for that device only; "banned" is
   * refused with the host code 10310; "boom" fails the provider's stage with an internal text.
   */
  static final AuthProvider AUTH =
      (user, device, token) -> {
        if (token.equals("banned")) {
          return CompletableFuture.completedFuture(AuthResult.denied(10310, "banned"));
        }
        if (token.equals("boom")) {
          return CompletableFuture.failedFuture(new IllegalStateException("db at 10.1.2.3 down"));
        }
        return CompletableFuture.completedFuture(
            token.equals(token(user, device))
                ? AuthResult.allowed()
                : AuthResult.denied("bad token"));
      };

  final GimServer server;
  final GrpcApi api;
  private final Server external;
  private final Server internal;
  private final ManagedChannel externalChannel;
  private final ManagedChannel internalChannel;

  InProcessApi() throws IOException {
    this(b -> b, b -> b);
  }

  InProcessApi(UnaryOperator<GimServer.Builder> gim, UnaryOperator<GrpcApi.Builder> grpc)
      throws IOException {
    server = gim.apply(GimServer.builder().auth(AUTH)).build();
    server.start().join();
    api = grpc.apply(GrpcApi.builder(server)).build();
    String name = InProcessServerBuilder.generateName();
    external =
        InProcessServerBuilder.forName(name + "-ext").addServices(api.externalServices()).build();
    internal =
        InProcessServerBuilder.forName(name + "-int").addServices(api.internalServices()).build();
    external.start();
    internal.start();
    externalChannel = InProcessChannelBuilder.forName(name + "-ext").build();
    internalChannel = InProcessChannelBuilder.forName(name + "-int").build();
  }

  static String token(long user, long device) {
    return "t-" + user + "-" + device;
  }

  static Metadata credentials(String user, String device, String token) {
    Metadata m = new Metadata();
    if (user != null) {
      m.put(ExtAuth.USER_ID, user);
    }
    if (device != null) {
      m.put(ExtAuth.DEVICE_ID, device);
    }
    if (token != null) {
      m.put(ExtAuth.TOKEN, token);
    }
    return m;
  }

  static <S extends AbstractStub<S>> S with(S stub, Metadata headers) {
    return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  /** MessageExtService as device (user, device) with its own token. */
  MessageExtServiceGrpc.MessageExtServiceBlockingStub inbox(long user, long device) {
    return inbox(credentials("" + user, "" + device, token(user, device)));
  }

  MessageExtServiceGrpc.MessageExtServiceBlockingStub inbox(Metadata headers) {
    return with(MessageExtServiceGrpc.newBlockingStub(externalChannel), headers);
  }

  ManagedChannel externalChannel() {
    return externalChannel;
  }

  ManagedChannel internalChannel() {
    return internalChannel;
  }

  MessageIntServiceGrpc.MessageIntServiceBlockingStub messages() {
    return MessageIntServiceGrpc.newBlockingStub(internalChannel);
  }

  GroupIntServiceGrpc.GroupIntServiceBlockingStub groups() {
    return GroupIntServiceGrpc.newBlockingStub(internalChannel);
  }

  RoomIntServiceGrpc.RoomIntServiceBlockingStub rooms() {
    return RoomIntServiceGrpc.newBlockingStub(internalChannel);
  }

  DeviceIntServiceGrpc.DeviceIntServiceBlockingStub devices() {
    return DeviceIntServiceGrpc.newBlockingStub(internalChannel);
  }

  /**
   * The call fails with {@code status}, gim-code {@code gimCode} and a description starting with
   * it.
   */
  static void assertFails(ThrowingCallable call, Status.Code status, int gimCode) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              org.assertj.core.api.Assertions.assertThat(e.getStatus().getCode())
                  .as("status of %s", e)
                  .isEqualTo(status);
              org.assertj.core.api.Assertions.assertThat(e.getTrailers().get(GimStatus.GIM_CODE))
                  .as("gim-code of %s", e)
                  .isEqualTo(Integer.toString(gimCode));
              org.assertj.core.api.Assertions.assertThat(e.getStatus().getDescription())
                  .startsWith(gimCode + " ");
              org.assertj.core.api.Assertions.assertThat(GimStatus.codeOf(e)).isEqualTo(gimCode);
            });
  }

  @Override
  public void close() {
    externalChannel.shutdownNow();
    internalChannel.shutdownNow();
    external.shutdownNow();
    internal.shutdownNow();
    api.close();
    server.close();
  }
}
