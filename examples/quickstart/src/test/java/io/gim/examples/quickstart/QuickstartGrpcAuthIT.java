package io.gim.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Empty;
import io.gim.grpc.business.AuthRequest;
import io.gim.grpc.business.UserIntServiceGrpc;
import io.gim.testkit.RecordingClient;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The jar's server with {@code --auth-grpc}: sign-ins are decided by a remote account service (here
 * one of the test's own, on a loopback port), not by the secret.
 */
class QuickstartGrpcAuthIT {
  private static final Pattern LISTENING =
      Pattern.compile("GIM quickstart listening: tcp=127\\.0\\.0\\.1:(\\d+) ws=.*");

  private Server accounts;
  private JarProcess server;

  @AfterEach
  void stop() throws InterruptedException {
    if (server != null) {
      server.stop();
    }
    if (accounts != null) {
      accounts.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void signsInOnlyTheDevicesTheAccountServiceAccepts() throws Exception {
    accounts =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(new OnlyUser5Device2())
            .build()
            .start();
    server =
        JarProcess.start(
            "grpc-auth",
            "server",
            "--in-memory",
            "--tcp-port",
            "0",
            "--ws-port",
            "0",
            "--auth-grpc",
            "127.0.0.1:" + accounts.getPort());
    String line = server.awaitStdout(l -> LISTENING.matcher(l).matches(), Duration.ofSeconds(30));
    Matcher m = LISTENING.matcher(line);
    assertThat(m.matches()).isTrue();
    int port = Integer.parseInt(m.group(1));
    assertThat(server.awaitStdout(l -> l.startsWith("Sign-ins are checked"), Duration.ofSeconds(5)))
        .contains("127.0.0.1:" + accounts.getPort());
    assertThat(server.stderr()).doesNotContain("development secret");

    try (RecordingClient ok = RecordingClient.tcp("127.0.0.1", port)) {
      ok.assertSignedIn(5, 2, "issued-by-accounts");
    }
    try (RecordingClient otherDevice = RecordingClient.tcp("127.0.0.1", port)) {
      assertThat(otherDevice.signIn(5, 3, "issued-by-accounts").getCode()).isEqualTo(10000);
    }
  }

  /** An account service that knows one token, of user 5's device 2. */
  private static final class OnlyUser5Device2 extends UserIntServiceGrpc.UserIntServiceImplBase {
    @Override
    public void auth(AuthRequest request, StreamObserver<Empty> response) {
      if (request.getUserId() == 5
          && request.getDeviceId() == 2
          && request.getToken().equals("issued-by-accounts")) {
        response.onNext(Empty.getDefaultInstance());
        response.onCompleted();
      } else {
        response.onError(Status.UNAUTHENTICATED.asRuntimeException());
      }
    }
  }
}
