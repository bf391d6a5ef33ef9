package io.gim.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.gim.protocol.MessageACKRequest;
import io.gim.protocol.PacketCommand;
import io.gim.protocol.Reply;
import io.gim.protocol.SyncReply;
import io.gim.protocol.SyncRequest;
import org.junit.jupiter.api.Test;

class InboxTest {
  private final EngineHarness h = new EngineHarness();

  private static SyncReply sync(EngineHarness.Client c, SyncRequest request) throws Exception {
    Reply reply = c.call(PacketCommand.PC_SYNC, request);
    assertThat(reply.getCode()).isZero();
    return SyncReply.parseFrom(reply.getData());
  }

  private static void ack(EngineHarness.Client c, long seq) {
    Reply reply =
        c.call(PacketCommand.PC_ACK, MessageACKRequest.newBuilder().setDeviceAck(seq).build());
    assertThat(reply.getCode()).isZero();
  }

  @Test
  void syncFromZeroStartsAfterTheLargestAckAndSaysWhereItStarted() throws Exception {
    EngineHarness.Client phone = h.connect();
    phone.signIn(1, 1);
    for (int i = 0; i < 5; i++) {
      phone.sendTo(2, "m" + i);
    }
    ack(phone, 3);

    EngineHarness.Client laptop = h.connect();
    laptop.signIn(1, 2);
    SyncReply page = sync(laptop, SyncRequest.getDefaultInstance());

    assertThat(page.getStartSeq()).isEqualTo(3);
    assertThat(page.getMessagesList()).extracting(m -> m.getSeq()).containsExactly(4L, 5L);
  }

  @Test
  void anEmptyPageStillSaysWhereItStartedSoTheClientNeverSendsZeroAgain() throws Exception {
    EngineHarness.Client phone = h.connect();
    phone.signIn(1, 1);
    phone.sendTo(2, "a");
    phone.sendTo(2, "b");
    ack(phone, 2);

    EngineHarness.Client laptop = h.connect();
    laptop.signIn(1, 2);
    SyncReply page = sync(laptop, SyncRequest.getDefaultInstance());

    assertThat(page.getMessagesList()).isEmpty();
    assertThat(page.getHasMore()).isFalse();
    assertThat(page.getStartSeq()).isEqualTo(2);
  }

  @Test
  void fromStartIgnoresAcks() throws Exception {
    EngineHarness.Client phone = h.connect();
    phone.signIn(1, 1);
    phone.sendTo(2, "a");
    phone.sendTo(2, "b");
    ack(phone, 2);

    SyncReply page = sync(phone, SyncRequest.newBuilder().setFromStart(true).build());

    assertThat(page.getStartSeq()).isZero();
    assertThat(page.getMessagesList()).extracting(m -> m.getSeq()).containsExactly(1L, 2L);
  }

  @Test
  void aNonZeroSeqStartsAfterItself() throws Exception {
    EngineHarness.Client c = h.connect();
    c.signIn(1, 1);
    for (int i = 0; i < 3; i++) {
      c.sendTo(2, "m" + i);
    }
    ack(c, 3);

    SyncReply page = sync(c, SyncRequest.newBuilder().setSeq(1).build());

    assertThat(page.getStartSeq()).isEqualTo(1);
    assertThat(page.getMessagesList()).extracting(m -> m.getSeq()).containsExactly(2L, 3L);
  }

  @Test
  void aLimitAboveTwoToTheThirtyFirstIsCappedNotDefaulted() throws Exception {
    EngineHarness.Client c = h.connect();
    c.signIn(1, 1);
    for (int i = 0; i < 60; i++) {
      c.sendTo(2, "m" + i);
    }

    // uint32 2^31 + 5 arrives as a negative int; the server default (50) would be wrong here.
    SyncReply page =
        sync(c, SyncRequest.newBuilder().setFromStart(true).setLimit((int) (1L << 31) + 5).build());

    assertThat(page.getMessagesCount()).isEqualTo(60);
    assertThat(page.getHasMore()).isFalse();
  }

  @Test
  void anAckAboveTheLargestSeqCannotHideFutureMessages() throws Exception {
    EngineHarness.Client phone = h.connect();
    phone.signIn(1, 1);
    phone.sendTo(2, "a");
    ack(phone, 1_000);
    phone.sendTo(2, "b");

    EngineHarness.Client laptop = h.connect();
    laptop.signIn(1, 2);
    SyncReply page = sync(laptop, SyncRequest.getDefaultInstance());

    assertThat(page.getStartSeq()).isEqualTo(1);
    assertThat(page.getMessagesList()).extracting(m -> m.getSeq()).containsExactly(2L);
  }

  @Test
  void acksNeverMoveBackwards() throws Exception {
    EngineHarness.Client phone = h.connect();
    phone.signIn(1, 1);
    for (int i = 0; i < 4; i++) {
      phone.sendTo(2, "m" + i);
    }
    ack(phone, 3);
    ack(phone, 1);

    EngineHarness.Client laptop = h.connect();
    laptop.signIn(1, 2);

    assertThat(sync(laptop, SyncRequest.getDefaultInstance()).getStartSeq()).isEqualTo(3);
  }

  @Test
  void acksOfTwoUsersWithTheSameDeviceIdAreSeparate() throws Exception {
    EngineHarness.Client alice = h.connect();
    alice.signIn(1, 1);
    EngineHarness.Client bob = h.connect();
    bob.signIn(2, 1);
    alice.sendTo(2, "a");
    alice.sendTo(2, "b");
    ack(bob, 2);

    EngineHarness.Client alicesLaptop = h.connect();
    alicesLaptop.signIn(1, 2);

    assertThat(sync(alicesLaptop, SyncRequest.getDefaultInstance()).getStartSeq()).isZero();
  }
}
