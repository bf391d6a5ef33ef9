package io.gim.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Empty;
import io.gim.core.GimServer;
import io.gim.core.ListenSpec;
import io.gim.grpc.business.AuthRequest;
import io.gim.grpc.business.UserIntServiceGrpc;
import io.gim.spi.AuthResult;
import io.gim.spi.GimException;
import io.gim.testkit.RecordingClient;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link GrpcAuthProvider} against a real {@code business.UserIntService} on a loopback port: an
 * account service of the test's own that knows tokens per (user, device).
 */
class GrpcAuthProviderIT {
  private final Accounts accounts = new Accounts();
  private Server server;

  @BeforeEach
  void startAccounts() throws IOException {
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(accounts)
            .build()
            .start();
  }

  @AfterEach
  void stopAccounts() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  private String target() {
    return "127.0.0.1:" + server.getPort();
  }

  @Test
  void allowsTheTokenOfThatDeviceAndRemembersItForTheCacheTime() {
    accounts.tokens.put(key(7, 1), "t-7-1");
    try (GrpcAuthProvider auth = GrpcAuthProvider.builder().target(target()).build()) {
      assertThat(join(auth.authenticate(7, 1, "t-7-1"))).isInstanceOf(AuthResult.Allowed.class);
      assertThat(join(auth.authenticate(7, 1, "t-7-1"))).isInstanceOf(AuthResult.Allowed.class);
      assertThat(accounts.calls).hasValue(1);
    }
  }

  @Test
  void refusesATokenPresentedForAnotherDeviceOfTheSameUser() {
    accounts.tokens.put(key(7, 1), "t-7-1");
    try (GrpcAuthProvider auth = GrpcAuthProvider.builder().target(target()).build()) {
      AuthResult result = join(auth.authenticate(7, 2, "t-7-1"));
      assertThat(result).isEqualTo(AuthResult.denied(10000, "unauthorized"));
    }
  }

  @Test
  void neverCachesARefusalSoATokenIssuedAMomentLaterWorksAtOnce() {
    try (GrpcAuthProvider auth = GrpcAuthProvider.builder().target(target()).build()) {
      assertThat(join(auth.authenticate(8, 1, "new"))).isInstanceOf(AuthResult.Denied.class);
      accounts.tokens.put(key(8, 1), "new");
      assertThat(join(auth.authenticate(8, 1, "new"))).isInstanceOf(AuthResult.Allowed.class);
    }
  }

  @Test
  void asksEveryTimeWhenTheCacheIsOff() {
    accounts.tokens.put(key(9, 1), "t");
    try (GrpcAuthProvider auth =
        GrpcAuthProvider.builder().target(target()).cacheTtl(Duration.ZERO).build()) {
      join(auth.authenticate(9, 1, "t"));
      join(auth.authenticate(9, 1, "t"));
      assertThat(accounts.calls).hasValue(2);
    }
  }

  @Test
  void passesTheAccountServicesOwnCodeThroughTheGimCodeTrailer() {
    accounts.refusalCode = 10301;
    try (GrpcAuthProvider auth = GrpcAuthProvider.builder().target(target()).build()) {
      assertThat(join(auth.authenticate(5, 1, "x")))
          .isEqualTo(AuthResult.denied(10301, "unauthorized"));
    }
  }

  @Test
  void failsWith10303WhenTheAccountServiceCannotBeReached() throws IOException {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    try (GrpcAuthProvider auth =
        GrpcAuthProvider.builder().target("127.0.0.1:" + closedPort).build()) {
      assertThatThrownBy(() -> join(auth.authenticate(7, 1, "t")))
          .isInstanceOf(CompletionException.class)
          .cause()
          .isInstanceOf(GimException.class)
          .hasMessage("account service unavailable")
          .extracting(e -> ((GimException) e).code())
          .isEqualTo(10303);
    }
  }

  @Test
  void givesUpAtTheDeadlineWhenTheAccountServiceDoesNotAnswer() {
    accounts.silent = true;
    try (GrpcAuthProvider auth =
        GrpcAuthProvider.builder().target(target()).deadline(Duration.ofMillis(200)).build()) {
      assertThatThrownBy(() -> join(auth.authenticate(7, 1, "t")))
          .cause()
          .isInstanceOf(GimException.class)
          .extracting(e -> ((GimException) e).code())
          .isEqualTo(10303);
    }
  }

  @Test
  void leavesAChannelOfTheHostsOpenAndClosesItsOwn() {
    ManagedChannel hosts = ManagedChannelBuilder.forTarget(target()).usePlaintext().build();
    try {
      GrpcAuthProvider.builder().channel(hosts).build().close();
      assertThat(hosts.isShutdown()).isFalse();
    } finally {
      hosts.shutdownNow();
    }
  }

  @Test
  void refusesAnIncompleteConfiguration() {
    assertThatThrownBy(() -> GrpcAuthProvider.builder().build())
        .hasMessage("target or channel: give exactly one");
    assertThatThrownBy(
            () -> GrpcAuthProvider.builder().target("x:1").deadline(Duration.ZERO).build())
        .hasMessage("deadline: PT0S (expected: > 0)");
  }

  @Test
  void signsInALongConnectionThroughTheAccountService() throws Exception {
    accounts.tokens.put(key(42, 3), "good");
    try (GrpcAuthProvider auth = GrpcAuthProvider.builder().target(target()).build();
        GimServer gim = GimServer.builder().auth(auth).tcp("127.0.0.1", 0).build()) {
      gim.start().join();
      int port = gim.activePort(ListenSpec.Kind.TCP);
      try (RecordingClient refused = RecordingClient.tcp("127.0.0.1", port)) {
        assertThat(refused.signIn(42, 3, "bad").getCode()).isEqualTo(10000);
      }
      try (RecordingClient client = RecordingClient.tcp("127.0.0.1", port)) {
        client.assertSignedIn(42, 3, "good");
      }
    }
  }

  private static String key(long user, long device) {
    return user + "/" + device;
  }

  private static <T> T join(java.util.concurrent.CompletionStage<T> stage) {
    return stage.toCompletableFuture().join();
  }

  /** The account system: OK for a known token of that very device, UNAUTHENTICATED otherwise. */
  private static final class Accounts extends UserIntServiceGrpc.UserIntServiceImplBase {
    final ConcurrentHashMap<String, String> tokens = new ConcurrentHashMap<>();
    final AtomicInteger calls = new AtomicInteger();
    volatile int refusalCode = 10000;
    volatile boolean silent;

    @Override
    public void auth(AuthRequest request, StreamObserver<Empty> response) {
      calls.incrementAndGet();
      if (silent) {
        return; // never answers: the caller's deadline must end the call
      }
      String token = tokens.get(key(request.getUserId(), request.getDeviceId()));
      if (token != null && token.equals(request.getToken())) {
        response.onNext(Empty.getDefaultInstance());
        response.onCompleted();
        return;
      }
      Metadata trailers = new Metadata();
      trailers.put(GimStatus.GIM_CODE, Integer.toString(refusalCode));
      response.onError(
          Status.UNAUTHENTICATED
              .withDescription(refusalCode + " unauthorized")
              .asRuntimeException(trailers));
    }
  }
}
