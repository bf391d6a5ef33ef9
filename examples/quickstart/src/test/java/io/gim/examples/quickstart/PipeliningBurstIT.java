package io.gim.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.gim.core.GimServer;
import io.gim.core.ListenSpec;
import io.gim.protocol.PacketCommand;
import io.gim.protocol.Reply;
import io.gim.protocol.SendRequest;
import io.gim.protocol.SyncReply;
import io.gim.protocol.SyncRequest;
import io.gim.spi.AuthResult;
import io.gim.store.jdbc.JdbcStores;
import io.gim.testkit.RecordingClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quickstart's setup (H2 files under a data directory) under clients that pipeline: each
 * connection writes a thousand sends without waiting. The server must slow them down (it stops
 * reading a connection past its requests in flight), never refuse them with 10302.
 */
class PipeliningBurstIT {
  private static final int CLIENTS = 4;
  private static final int SENDS = 1_000;

  @TempDir Path data;

  @Test
  void fourConnectionsPipeliningAThousandSendsEachAreAllStored() throws Exception {
    try (GimServer server =
        GimServer.builder()
            .auth((u, d, t) -> CompletableFuture.completedFuture(AuthResult.allowed()))
            .stores(JdbcStores.h2(data.resolve("gim")))
            .tcp("127.0.0.1", 0)
            .build()) {
      server.start().join();
      int port = server.activePort(ListenSpec.Kind.TCP);
      List<RecordingClient> clients = new ArrayList<>();
      List<List<String>> requestIds = new ArrayList<>();
      try {
        for (int c = 1; c <= CLIENTS; c++) {
          RecordingClient client = RecordingClient.tcp("127.0.0.1", port);
          clients.add(client);
          client.assertSignedIn(c, 1, "t");
        }
        for (int c = 0; c < CLIENTS; c++) {
          List<String> ids = new ArrayList<>();
          for (int i = 0; i < SENDS; i++) {
            ids.add(
                clients
                    .get(c)
                    .send(
                        PacketCommand.PC_SEND,
                        SendRequest.newBuilder()
                            .setToUserId(100)
                            .setContent(ByteString.copyFromUtf8("burst " + i))
                            .setClientMsgId("c" + c + "-" + i)
                            .build()));
          }
          requestIds.add(ids);
        }

        for (int c = 0; c < CLIENTS; c++) {
          for (String id : requestIds.get(c)) {
            Reply reply = clients.get(c).awaitReply(id);
            assertThat(reply.getCode()).as("reply to %s: %s", id, reply.getMessage()).isZero();
          }
        }
        RecordingClient receiver = RecordingClient.tcp("127.0.0.1", port);
        clients.add(receiver);
        receiver.assertSignedIn(100, 1, "t");
        SyncReply page =
            SyncReply.parseFrom(
                receiver
                    .call(
                        PacketCommand.PC_SYNC,
                        SyncRequest.newBuilder().setFromStart(true).setLimit(500).build())
                    .getData());
        assertThat(page.getMessagesCount()).isEqualTo(500);
        assertThat(page.getMessages(499).getSeq()).isEqualTo(500);
        assertThat(page.getHasMore()).isTrue();
      } finally {
        for (RecordingClient c : clients) {
          c.close();
        }
      }
    }
  }
}
