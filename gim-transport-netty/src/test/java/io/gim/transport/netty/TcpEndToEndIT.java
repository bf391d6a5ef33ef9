package io.gim.transport.netty;

import io.gim.client.GimClient;
import io.gim.client.GimClientBuilder;
import io.gim.core.GimServer;
import io.gim.core.ListenSpec;
import io.gim.testkit.RecordingClient;

/** The end-to-end suite over TCP (uvarint length-prefixed frames). */
class TcpEndToEndIT extends AbstractEndToEndIT {

  @Override
  RecordingClient connect(GimServer server) throws Exception {
    return RecordingClient.tcp("127.0.0.1", server.activePort(ListenSpec.Kind.TCP));
  }

  @Override
  ListenSpec.Kind kind() {
    return ListenSpec.Kind.TCP;
  }

  @Override
  void sendOversized(RecordingClient client, int size) {
    // Only the length prefix and a few bytes: the server must close before the body arrives.
    byte[] prefix = new byte[5];
    int n = 0;
    int v = size;
    while ((v & ~0x7F) != 0) {
      prefix[n++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    prefix[n++] = (byte) v;
    client.sendRaw(java.util.Arrays.copyOf(prefix, n));
    client.sendRaw(new byte[] {1, 2, 3});
  }

  @Override
  void pauseReading(RecordingClient client) {
    client.pauseReading();
  }

  @Override
  GimClientBuilder clientTo(int port) {
    return GimClient.builder().tcp("127.0.0.1", port);
  }
}
