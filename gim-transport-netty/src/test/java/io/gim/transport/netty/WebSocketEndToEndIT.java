package io.gim.transport.netty;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gim.client.GimClient;
import io.gim.client.GimClientBuilder;
import io.gim.core.GimServer;
import io.gim.core.ListenSpec;
import io.gim.testkit.RecordingClient;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The end-to-end suite over WebSocket (one binary message per packet), plus text frames. */
class WebSocketEndToEndIT extends AbstractEndToEndIT {

  @Override
  RecordingClient connect(GimServer server) {
    int port = server.activePort(ListenSpec.Kind.WEBSOCKET);
    return RecordingClient.websocket(URI.create("ws://127.0.0.1:" + port + "/ws"));
  }

  @Override
  ListenSpec.Kind kind() {
    return ListenSpec.Kind.WEBSOCKET;
  }

  @Override
  void sendOversized(RecordingClient client, int size) {
    try {
      client.sendRaw(new byte[size]);
    } catch (java.util.concurrent.CompletionException e) {
      // The server may close before the client has written the whole message: that is the point.
    }
  }

  @Override
  void pauseReading(RecordingClient client) {
    client.pauseReading();
  }

  @Test
  void closesAClientThatNeverFinishesItsUpgradeRequestAfterTheSignInTimeout() throws Exception {
    server = start(b -> b.signInTimeout(Duration.ofMillis(500)));
    RecordingClient signed = signedIn(1, 11);
    Socket slowloris = rawSocket();
    OutputStream out = slowloris.getOutputStream();
    out.write("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n".getBytes(US_ASCII));
    // One more header line now and then: activity must not keep an unsigned connection open.
    await()
        .atMost(RecordingClient.TIMEOUT)
        .pollInterval(Duration.ofMillis(50))
        .until(() -> !writes(out, "X-Drip: 1\r\n".getBytes(US_ASCII)));
    assertClosedByServer(slowloris);
    assertThat(signed.isClosed()).isFalse();
  }

  /** Whether the bytes could still be written: a write after the server closed fails. */
  private static boolean writes(OutputStream out, byte[] bytes) {
    try {
      out.write(bytes);
      out.flush();
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  void plainHttpToAnyPathGetsNotFound() throws Exception {
    startDefault();
    java.net.http.HttpResponse<String> response =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port() + "/other"))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(404);
  }

  @Test
  void aTextFrameClosesOnlyThatConnectionWithStatus1003() throws Exception {
    startDefault();
    RecordingClient healthy = signedIn(1, 11);
    RecordingClient bad = signedIn(2, 21);
    bad.sendText("hello");
    bad.awaitClosed();
    assertThat(bad.closeStatus()).isEqualTo(1003);
    assertHealthy(healthy);
  }

  @Override
  GimClientBuilder clientTo(int port) {
    return GimClient.builder().websocket(URI.create("ws://127.0.0.1:" + port + "/ws"));
  }
}
