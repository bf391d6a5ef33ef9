package io.gim.transport.netty;

import io.gim.client.GimClient;
import io.gim.client.GimClientBuilder;
import io.gim.core.GimServer;
import io.gim.core.ListenSpec;
import io.gim.protocol.Framing;
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
    byte[] prefix = new byte[Framing.prefixSize(size)];
    Framing.writePrefix(size, prefix, 0);
    client.sendRaw(prefix);
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
