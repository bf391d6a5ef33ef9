package io.gim.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.gim.protocol.Message;
import io.gim.protocol.Packet;
import io.gim.protocol.PacketCommand;
import io.gim.protocol.Reply;
import io.gim.protocol.SyncReply;
import io.gim.spi.store.StoredMessage;
import io.gim.spi.store.SyncPage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyncRepliesTest {
  private static final Packet REQUEST =
      Packet.newBuilder().setRequestId("sync-7").setCommand(PacketCommand.PC_SYNC).build();

  private static StoredMessage stored(long seq, int command, int contentBytes, long createdMs) {
    byte[] content = new byte[contentBytes];
    for (int i = 0; i < content.length; i++) {
      content[i] = (byte) (seq + i);
    }
    return new StoredMessage(seq * 10 + 3, seq, 42, 1, command, content, createdMs);
  }

  private static SyncReply decode(byte[] packet) throws Exception {
    Packet p = Packet.parseFrom(packet);
    assertThat(p.getRequestId()).isEqualTo("sync-7");
    assertThat(p.getCommand()).isEqualTo(PacketCommand.PC_SYNC);
    Reply reply = Reply.parseFrom(p.getContent());
    assertThat(reply.getCode()).isZero();
    return SyncReply.parseFrom(reply.getData());
  }

  @Test
  void aPageDecodesAsItsMessagesInSeqOrderWithEpochStartAndHasMore() throws Exception {
    // Gapped seqs, a multi-byte length, command 0 and empty content, a time before 1970.
    List<StoredMessage> messages =
        List.of(
            stored(3, 1, 100, 1_795_000_000_123L),
            stored(9, 0, 0, 5_000L),
            stored(200, 110, 300, -86_400_000L),
            stored(1L << 40, 2, 1, 999L));
    SyncReply reply = decode(SyncReplies.encode(REQUEST, new SyncPage(messages, true, 77), 4, 2));

    assertThat(reply.getEpoch()).isEqualTo(77);
    assertThat(reply.getStartSeq()).isEqualTo(2);
    assertThat(reply.getHasMore()).isTrue();
    assertThat(reply.getMessagesList())
        .extracting(Message::getSeq)
        .containsExactly(3L, 9L, 200L, 1L << 40);
    for (int i = 0; i < messages.size(); i++) {
      StoredMessage s = messages.get(i);
      Message m = reply.getMessages(i);
      assertThat(m.getCommandValue()).isEqualTo(s.command());
      assertThat(m.getContent().toByteArray()).isEqualTo(s.content());
      assertThat(m.getCreatedAt()).isEqualTo(s.createdAtMillis() / 1000);
      assertThat(m.getMessageId()).isEqualTo(s.messageId());
      assertThat(m.getRoomId()).isZero();
    }
  }

  @Test
  void theLastPageSaysNoMoreAndAnEmptyPageStillSaysWhereItStarted() throws Exception {
    SyncReply last =
        decode(
            SyncReplies.encode(
                REQUEST, new SyncPage(List.of(stored(5, 1, 10, 0)), false, 1), 1, 4));
    assertThat(last.getHasMore()).isFalse();
    assertThat(last.getMessagesCount()).isEqualTo(1);

    SyncReply empty = decode(SyncReplies.encode(REQUEST, new SyncPage(List.of(), false, 1), 0, 9));
    assertThat(empty.getMessagesList()).isEmpty();
    assertThat(empty.getStartSeq()).isEqualTo(9);
    assertThat(empty.getHasMore()).isFalse();
  }

  @Test
  void aPageOverTheFrameBudgetIsCutAndSaysHasMoreEvenIfTheStoreHasNoMore() throws Exception {
    List<StoredMessage> messages = new ArrayList<>();
    for (long seq = 1; seq <= 10; seq++) {
      messages.add(stored(seq, 1, 1_000, 0));
    }
    SyncPage page = new SyncPage(messages, false, 1);
    int budget = 3_500; // about three messages of 1,000 bytes with their framing
    int count = SyncReplies.fitting(messages, budget);
    SyncReply reply = decode(SyncReplies.encode(REQUEST, page, count, 0));

    assertThat(reply.getMessagesCount()).isEqualTo(3);
    assertThat(reply.toByteString().size()).isLessThanOrEqualTo(budget); // what the budget bounds
    assertThat(reply.getHasMore()).isTrue();
  }

  @Test
  void oneMessageLargerThanTheBudgetStillGoesAloneSoTheDrainMovesOn() {
    List<StoredMessage> messages = List.of(stored(1, 1, 5_000, 0), stored(2, 1, 10, 0));
    assertThat(SyncReplies.fitting(messages, 1_000)).isEqualTo(1);
  }

  @Test
  void theBytesAreWhatTheGeneratedClassesWriteForTheSameReply() throws Exception {
    List<StoredMessage> messages =
        List.of(stored(3, 1, 100, 1_795_000_000_123L), stored(4, 0, 0, 0));
    SyncPage page = new SyncPage(messages, true, 5);
    byte[] generated =
        Packets.ok(REQUEST, Inbox.toReply(page, 2, Integer.MAX_VALUE).toByteString());
    assertThat(SyncReplies.encode(REQUEST, page, 2, 2)).isEqualTo(generated);
  }
}
