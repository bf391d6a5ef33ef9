package io.gim.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.gim.client.GimClient;
import io.gim.client.GimClientBuilder;
import io.gim.core.GimServer;
import io.gim.core.ListenSpec;
import io.gim.protocol.Framing;
import io.gim.protocol.Packet;
import io.gim.protocol.PacketCommand;
import io.gim.protocol.SignInRequest;
import io.gim.testkit.RecordingClient;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

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
    // One write: the server may close as soon as it has read the prefix, and a second write
    // racing that close fails with a reset on the client, not in the server.
    int prefixSize = Framing.prefixSize(size);
    byte[] start = new byte[prefixSize + 3];
    Framing.writePrefix(size, start, 0);
    start[prefixSize] = 1;
    start[prefixSize + 1] = 2;
    start[prefixSize + 2] = 3;
    client.sendRaw(start);
  }

  @Override
  void pauseReading(RecordingClient client) {
    client.pauseReading();
  }

  @Test
  void aFrameWhoseLengthPrefixArrivesInTwoReadsIsDecoded() throws Exception {
    startDefault();
    RecordingClient c = client();
    String requestId = "r".repeat(200); // a frame over 127 bytes: a two-byte length prefix
    byte[] body =
        Packet.newBuilder()
            .setRequestId(requestId)
            .setCommand(PacketCommand.PC_SIGN_IN)
            .setContent(
                SignInRequest.newBuilder()
                    .setUserId(1)
                    .setDeviceId(11)
                    .setToken("token-1")
                    .build()
                    .toByteString())
            .build()
            .toByteArray();
    byte[] frame = Framing.frame(body);
    assertThat(Framing.prefixSize(body.length)).isEqualTo(2);

    c.sendRaw(Arrays.copyOfRange(frame, 0, 1)); // half of the prefix: one read
    Thread.sleep(200);
    c.sendRaw(Arrays.copyOfRange(frame, 1, frame.length));

    assertThat(c.awaitReply(requestId).getCode()).isZero();
    assertThat(c.isClosed()).isFalse();
  }

  @Override
  GimClientBuilder clientTo(int port) {
    return GimClient.builder().tcp("127.0.0.1", port);
  }
}
