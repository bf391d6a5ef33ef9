package io.gim.samples.consumer;

import io.gim.core.GimServer;
import io.gim.core.ListenSpec;
import io.gim.protocol.Packet;
import io.gim.protocol.PacketCommand;
import io.gim.protocol.Reply;
import io.gim.protocol.SignInRequest;
import io.gim.spi.AuthProvider;
import io.gim.spi.AuthResult;
import java.io.IOException;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;

/**
 * Starts a {@link GimServer} on a free port, signs a device in over plain TCP (GIM's framing: a
 * uvarint length, then a protobuf {@code Packet}), checks that a wrong token is refused, and stops.
 * Prints {@code consumer: OK ...} and exits 0, or fails with an exception.
 */
public final class Main {
  private static final String TOKEN = "let-me-in";

  private Main() {}

  public static void main(String[] args) throws IOException {
    AuthProvider auth =
        (userId, deviceId, token) ->
            CompletableFuture.completedFuture(
                TOKEN.equals(token) ? AuthResult.allowed() : AuthResult.denied("bad token"));
    try (GimServer server = GimServer.builder().auth(auth).tcp("127.0.0.1", 0).build()) {
      server.start().join();
      int port = server.activePort(ListenSpec.Kind.TCP);
      Reply refused = signIn(port, "wrong");
      if (refused.getCode() == 0) {
        throw new IllegalStateException("a wrong token was accepted");
      }
      Reply accepted = signIn(port, TOKEN);
      if (accepted.getCode() != 0) {
        throw new IllegalStateException("sign-in refused: " + accepted);
      }
      System.out.println(
          "consumer: OK: signed in on 127.0.0.1:"
              + port
              + " (a wrong token got code "
              + refused.getCode()
              + ")");
    }
  }

  /** Signs user 1, device 1 in on a new connection and returns the server's reply. */
  private static Reply signIn(int port, String token) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      SignInRequest request =
          SignInRequest.newBuilder().setUserId(1).setDeviceId(1).setToken(token).build();
      Packet.newBuilder()
          .setRequestId("1")
          .setCommand(PacketCommand.PC_SIGN_IN)
          .setContent(request.toByteString())
          .build()
          .writeDelimitedTo(socket.getOutputStream());
      Packet reply = Packet.parseDelimitedFrom(socket.getInputStream());
      if (reply == null || reply.getCommand() != PacketCommand.PC_SIGN_IN) {
        throw new IllegalStateException("no sign-in reply: " + reply);
      }
      return Reply.parseFrom(reply.getContent());
    }
  }
}
