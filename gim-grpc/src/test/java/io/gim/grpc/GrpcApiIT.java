package io.gim.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.gim.core.GimServer;
import io.gim.grpc.business.GetUserReply;
import io.gim.grpc.business.GetUserRequest;
import io.gim.grpc.business.User;
import io.gim.grpc.business.UserExtServiceGrpc;
import io.gim.grpc.business.UserIntServiceGrpc;
import io.gim.grpc.logic.GroupGetRequest;
import io.gim.grpc.logic.GroupIntServiceGrpc;
import io.gim.grpc.logic.MessageIntServiceGrpc;
import io.gim.grpc.logic.PushToUsersRequest;
import io.gim.grpc.logic.SyncRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** GrpcApi over real ports: what each port serves, its guard, its limits, and its lifecycle. */
@Timeout(60)
class GrpcApiIT {
  private static final Metadata.Key<String> SECRET =
      Metadata.Key.of("x-secret", Metadata.ASCII_STRING_MARSHALLER);

  /** The host's guard for Int services: a shared secret. */
  private static final ServerInterceptor SECRET_CHECK =
      new ServerInterceptor() {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
          if (!"s3cret".equals(headers.get(SECRET))) {
            call.close(Status.PERMISSION_DENIED.withDescription("no secret"), new Metadata());
            return new ServerCall.Listener<>() {};
          }
          return next.startCall(call, headers);
        }
      };

  private final List<AutoCloseable> resources = new ArrayList<>();
  private final GimServer server = GimServer.builder().auth(InProcessApi.AUTH).build();

  GrpcApiIT() {
    server.start().join();
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable r : resources) {
      r.close();
    }
    server.close();
  }

  private GrpcApi started(GrpcApi.Builder b) {
    GrpcApi api = b.build();
    resources.add(0, api);
    api.start().join();
    return api;
  }

  private ManagedChannel channel(GrpcApi api, GrpcApi.Side side) {
    ManagedChannel c =
        ManagedChannelBuilder.forAddress("127.0.0.1", api.activePort(side)).usePlaintext().build();
    resources.add(0, c::shutdownNow);
    return c;
  }

  private static GrpcApi.Builder bothPorts(GimServer server) {
    return GrpcApi.builder(server).external("127.0.0.1", 0).internal("127.0.0.1", 0);
  }

  @Test
  void anExtCallerOnTheExternalPortCannotReachAnyIntService() {
    ManagedChannel external = channel(started(bothPorts(server)), GrpcApi.Side.EXTERNAL);
    Metadata valid = InProcessApi.credentials("1", "1", InProcessApi.token(1, 1));

    assertThatThrownBy(
            () ->
                InProcessApi.with(MessageIntServiceGrpc.newBlockingStub(external), valid)
                    .pushToUsers(PushToUsersRequest.newBuilder().addUserIds(2).build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));
    assertThatThrownBy(
            () ->
                InProcessApi.with(GroupIntServiceGrpc.newBlockingStub(external), valid)
                    .get(GroupGetRequest.newBuilder().setGroupId(1).build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));
    assertThat(
            InProcessApi.with(
                    io.gim.grpc.logic.MessageExtServiceGrpc.newBlockingStub(external), valid)
                .sync(SyncRequest.getDefaultInstance())
                .getMessagesList())
        .isEmpty();
  }

  @Test
  void timesEveryCallByMethodStatusAndGimCodeRefusalsIncluded() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ManagedChannel external =
        channel(started(bothPorts(server).meterRegistry(registry)), GrpcApi.Side.EXTERNAL);
    var sync = io.gim.grpc.logic.MessageExtServiceGrpc.newBlockingStub(external);

    InProcessApi.with(sync, InProcessApi.credentials("1", "1", InProcessApi.token(1, 1)))
        .sync(SyncRequest.getDefaultInstance());
    assertThatThrownBy(
            () ->
                InProcessApi.with(sync, InProcessApi.credentials("1", "2", "forged"))
                    .sync(SyncRequest.getDefaultInstance()))
        .isInstanceOf(StatusRuntimeException.class);

    String method = "logic.MessageExtService/Sync";
    assertThat(
            registry
                .get("gim.grpc.calls")
                .tags("method", method, "status", "OK", "code", "0")
                .timer()
                .count())
        .isEqualTo(1);
    assertThat(
            registry
                .get("gim.grpc.calls")
                .tags("method", method, "status", "UNAUTHENTICATED", "code", "10000")
                .timer()
                .count())
        .isEqualTo(1);
  }

  @Test
  void theHostsInterceptorGuardsEveryIntServiceIncludingTheHostsOwn() {
    GrpcApi api =
        started(
            bothPorts(server)
                .internalInterceptor(SECRET_CHECK)
                .addInternal(new UserIntImpl().bindService()));
    ManagedChannel internal = channel(api, GrpcApi.Side.INTERNAL);
    Metadata secret = new Metadata();
    secret.put(SECRET, "s3cret");

    for (Runnable call :
        List.<Runnable>of(
            () ->
                MessageIntServiceGrpc.newBlockingStub(internal)
                    .pushToUsers(PushToUsersRequest.newBuilder().addUserIds(2).build()),
            () ->
                UserIntServiceGrpc.newBlockingStub(internal)
                    .getUser(GetUserRequest.newBuilder().setUserId(1).build()))) {
      assertThatThrownBy(call::run)
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
    }
    assertThat(
            InProcessApi.with(MessageIntServiceGrpc.newBlockingStub(internal), secret)
                .pushToUsers(
                    PushToUsersRequest.newBuilder().addUserIds(2).setIsPersist(true).build())
                .getMessageId())
        .isPositive();
    assertThat(
            InProcessApi.with(UserIntServiceGrpc.newBlockingStub(internal), secret)
                .getUser(GetUserRequest.newBuilder().setUserId(1).build())
                .getUser()
                .getNickname())
        .isEqualTo("user 1");
  }

  @Test
  void aHostServiceAddedToTheExternalPortIsServedAsGivenBesideTheLogicOnes() {
    ExtAuth auth = ExtAuth.except(InProcessApi.AUTH, Set.of("business.UserExtService/GetUser"));
    GrpcApi api = started(bothPorts(server).addExternal(auth.intercept(new UserExtImpl())));
    ManagedChannel external = channel(api, GrpcApi.Side.EXTERNAL);

    GetUserReply reply =
        UserExtServiceGrpc.newBlockingStub(external)
            .getUser(GetUserRequest.newBuilder().setUserId(9).build());

    assertThat(reply.getUser().getUserId()).isEqualTo(9);
    assertThat(api.externalServices())
        .extracting(s -> s.getServiceDescriptor().getName())
        .containsExactly("logic.MessageExtService", "business.UserExtService");
    assertThat(api.internalServices())
        .extracting(s -> s.getServiceDescriptor().getName())
        .containsExactly(
            "logic.MessageIntService",
            "logic.GroupIntService",
            "logic.RoomIntService",
            "logic.DeviceIntService");
  }

  @Test
  void aRequestLargerThanTheInboundLimitIsResourceExhaustedBeforeAnyService() {
    GrpcApi api = started(bothPorts(server).maxInboundMessageBytes(16 * 1024));
    ManagedChannel internal = channel(api, GrpcApi.Side.INTERNAL);

    assertThatThrownBy(
            () ->
                MessageIntServiceGrpc.newBlockingStub(internal)
                    .pushToUsers(
                        PushToUsersRequest.newBuilder()
                            .addUserIds(2)
                            .setIsPersist(true)
                            .setContent(ByteString.copyFrom(new byte[32 * 1024]))
                            .build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
    assertThat(
            server
                .inboxes()
                .sync(2, io.gim.protocol.SyncRequest.newBuilder().setFromStart(true).build())
                .toCompletableFuture()
                .join()
                .getMessagesList())
        .isEmpty();
  }

  @Test
  void closeReleasesThePortsAndThreadsAndIsIdempotent() throws Exception {
    GrpcApi first = bothPorts(server).build();
    first.start().join();
    int port = first.activePort(GrpcApi.Side.INTERNAL);
    assertThat(grpcThreads()).isNotEmpty();

    first.close();
    first.close();

    await().untilAsserted(() -> assertThat(grpcThreads()).isEmpty());
    assertThatThrownBy(() -> first.activePort(GrpcApi.Side.INTERNAL))
        .isInstanceOf(IllegalStateException.class);
    assertThat(first.start()).isCompletedExceptionally();
    GrpcApi second = started(GrpcApi.builder(server).internal("127.0.0.1", port));
    assertThat(second.activePort(GrpcApi.Side.INTERNAL)).isEqualTo(port);
  }

  @Test
  void startTwiceFailsAndAPortInUseFailsStartAndLeavesNothingBound() throws Exception {
    GrpcApi api = started(bothPorts(server));
    assertThat(api.start()).isCompletedExceptionally();

    try (ServerSocket taken = new ServerSocket(0)) {
      GrpcApi clash =
          GrpcApi.builder(server)
              .external("127.0.0.1", 0)
              .internal("127.0.0.1", taken.getLocalPort())
              .build();
      resources.add(0, clash);
      assertThat(clash.start())
          .failsWithin(java.time.Duration.ZERO)
          .withThrowableThat()
          .withMessageContaining("internal port: cannot bind");
      assertThatThrownBy(() -> clash.activePort(GrpcApi.Side.EXTERNAL))
          .isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void activePortBeforeStartOrOfASideNotConfiguredFails() {
    GrpcApi api = GrpcApi.builder(server).external("127.0.0.1", 0).build();
    resources.add(api);

    assertThatThrownBy(() -> api.activePort(GrpcApi.Side.EXTERNAL))
        .isInstanceOf(IllegalStateException.class);
    api.start().join();
    assertThat(api.activePort(GrpcApi.Side.EXTERNAL)).isPositive();
    assertThatThrownBy(() -> api.activePort(GrpcApi.Side.INTERNAL))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("internal port");
  }

  private static List<String> grpcThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(n -> n.startsWith("gim-grpc"))
        .toList();
  }

  private static final class UserIntImpl extends UserIntServiceGrpc.UserIntServiceImplBase {
    @Override
    public void getUser(GetUserRequest request, StreamObserver<GetUserReply> out) {
      out.onNext(
          GetUserReply.newBuilder()
              .setUser(
                  User.newBuilder()
                      .setUserId(request.getUserId())
                      .setNickname("user " + request.getUserId()))
              .build());
      out.onCompleted();
    }
  }

  private static final class UserExtImpl extends UserExtServiceGrpc.UserExtServiceImplBase {
    @Override
    public void getUser(GetUserRequest request, StreamObserver<GetUserReply> out) {
      out.onNext(
          GetUserReply.newBuilder()
              .setUser(User.newBuilder().setUserId(request.getUserId()))
              .build());
      out.onCompleted();
    }
  }
}
