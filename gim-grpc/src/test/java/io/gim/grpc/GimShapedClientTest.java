package io.gim.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.gim.grpc.gimgo.MessageACKRequest;
import io.gim.grpc.gimgo.MessageCommand;
import io.gim.grpc.gimgo.MessageExtServiceGrpc;
import io.gim.grpc.gimgo.MessageIntServiceGrpc;
import io.gim.grpc.gimgo.PushToUsersRequest;
import io.gim.grpc.gimgo.SyncReply;
import io.gim.grpc.gimgo.SyncRequest;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A client and a backend built from GIM's own .proto files (no GIM for Java extensions) work
 * unchanged: the extension fields they do not know (message_id, epoch, start_seq) are skipped.
 */
class GimShapedClientTest {
  private static final Instant T0 = Instant.parse("2023-06-01T00:00:00Z");
  private final InProcessApi api;

  GimShapedClientTest() throws Exception {
    api = new InProcessApi(b -> b.clock(new MutableClock(T0)), b -> b);
  }

  @AfterEach
  void close() {
    api.close();
  }

  private MessageExtServiceGrpc.MessageExtServiceBlockingStub gimClient(long user, long device) {
    return InProcessApi.with(
        MessageExtServiceGrpc.newBlockingStub(api.externalChannel()),
        InProcessApi.credentials("" + user, "" + device, InProcessApi.token(user, device)));
  }

  @Test
  void aGimBackendPushesAndAGimClientSyncsAndAcksAsWithGim() {
    var backend = MessageIntServiceGrpc.newBlockingStub(api.internalChannel());
    long messageId =
        backend
            .pushToUsers(
                PushToUsersRequest.newBuilder()
                    .addUserIds(5)
                    .setCommand(MessageCommand.MC_USER_MESSAGE)
                    .setContent(ByteString.copyFromUtf8("from a Go backend"))
                    .setIsPersist(true)
                    .build())
            .getMessageId();

    SyncReply page = gimClient(5, 1).sync(SyncRequest.newBuilder().setSeq(0).build());

    assertThat(messageId).isPositive();
    assertThat(page.getHasMore()).isFalse();
    assertThat(page.getMessagesList()).hasSize(1);
    var m = page.getMessages(0);
    assertThat(m.getCommand()).isEqualTo(MessageCommand.MC_USER_MESSAGE);
    assertThat(m.getContent().toStringUtf8()).isEqualTo("from a Go backend");
    assertThat(m.getSeq()).isPositive();
    assertThat(m.getCreatedAt()).isEqualTo(T0.getEpochSecond());
    assertThat(m.getUnknownFields().hasField(7)).as("message_id, unknown to GIM").isTrue();

    gimClient(5, 1).messageACK(MessageACKRequest.newBuilder().setDeviceAck(m.getSeq()).build());
    assertThat(gimClient(5, 2).sync(SyncRequest.getDefaultInstance()).getMessagesList())
        .as("a new device starts after the largest ack")
        .isEmpty();
  }
}
