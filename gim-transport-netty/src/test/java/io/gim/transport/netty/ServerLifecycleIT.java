package io.gim.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.gim.core.GimServer;
import io.gim.core.ListenSpec;
import io.gim.testkit.RecordingClient;
import java.net.ServerSocket;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Start and close as a host sees them: ports, threads, connections. */
@Timeout(60)
class ServerLifecycleIT {

  private static GimServer.Builder builder() {
    return GimServer.builder().auth(AbstractEndToEndIT.AUTH);
  }

  private static long gimThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(
            t ->
                t.isAlive()
                    && (t.getName().startsWith("gim-io") || t.getName().startsWith("gim-boss")))
        .count();
  }

  @Test
  void closeReleasesEveryThreadPortAndConnection() throws Exception {
    GimServer server = builder().tcp("127.0.0.1", 0).websocket("127.0.0.1", 0, "/ws").build();
    server.start().join();
    int tcp = server.activePort(ListenSpec.Kind.TCP);
    int ws = server.activePort(ListenSpec.Kind.WEBSOCKET);
    RecordingClient client = RecordingClient.tcp("127.0.0.1", tcp).assertSignedIn(1, 11, "token-1");
    assertThat(gimThreads()).isPositive();

    server.close();
    server.close(); // idempotent

    client.awaitClosed();
    await().until(() -> gimThreads() == 0);
    // Both ports can be bound again at once.
    try (ServerSocket a = new ServerSocket(tcp);
        ServerSocket b = new ServerSocket(ws)) {
      assertThat(a.isBound()).isTrue();
      assertThat(b.isBound()).isTrue();
    }
    client.close();
  }

  @Test
  void aPortInUseFailsStartAndLeavesNothingRunning() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      GimServer server = builder().tcp("127.0.0.1", taken.getLocalPort()).build();
      assertThatThrownBy(() -> server.start().join()).isInstanceOf(CompletionException.class);
      await().until(() -> gimThreads() == 0);
      server.close();
    }
  }

  @Test
  void findsTheNettyTransportWithoutBeingTold() {
    try (GimServer server = builder().tcp("127.0.0.1", 0).build()) {
      server.start().join();
      assertThat(server.activePort(ListenSpec.Kind.TCP)).isPositive();
    }
  }
}
