package io.gim.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.gim.client.GimClient;
import io.gim.client.GimClientBuilder;
import io.gim.core.GimServer;
import io.gim.core.ListenSpec;
import io.gim.testkit.RecordingClient;
import java.net.URI;
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
