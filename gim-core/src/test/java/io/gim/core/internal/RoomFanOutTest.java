package io.gim.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.gim.protocol.Message;
import io.gim.protocol.PacketCommand;
import io.gim.protocol.RoomMessagePush;
import io.gim.protocol.SendRequest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A room big enough to need several subscriber groups on one thread, spread over two threads, as
 * many connections share a few event loops.
 */
class RoomFanOutTest {
  private static final long ROOM = 5;

  private final EngineHarness h = new EngineHarness();

  /** Signs in {@code n} users from {@code firstUser}, alternating between the two threads. */
  private List<EngineHarness.Client> subscribers(
      EngineHarness.Client threadA, EngineHarness.Client threadB, long firstUser, int n) {
    List<EngineHarness.Client> clients = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      EngineHarness.Client c = h.connectOnThreadOf(i % 2 == 0 ? threadA : threadB);
      c.signIn(firstUser + i, 1);
      c.subscribeRoom(ROOM);
      clients.add(c);
    }
    return clients;
  }

  private static void say(EngineHarness.Client c, String text) {
    assertThat(
            c.call(
                    PacketCommand.PC_SEND,
                    SendRequest.newBuilder()
                        .setRoomId(ROOM)
                        .setContent(ByteString.copyFromUtf8(text))
                        .build())
                .getCode())
        .isZero();
  }

  private static List<String> texts(EngineHarness.Client c) {
    return c.pushes().stream().map(RoomFanOutTest::text).toList();
  }

  private static String text(Message m) {
    try {
      return RoomMessagePush.parseFrom(m.getContent()).getContent().toStringUtf8();
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void everySubscriberOnEveryThreadGetsEachMessageOnceInOrder() {
    EngineHarness.Client a = h.connect();
    a.signIn(1, 1);
    EngineHarness.Client b = h.connect();
    b.signIn(2, 1);
    a.subscribeRoom(ROOM);
    List<EngineHarness.Client> room = subscribers(a, b, 100, 1_300); // 650 per thread: 2 groups

    say(a, "one");
    say(b, "two");

    assertThat(texts(a)).as("the sender does not get its own message").containsExactly("two");
    for (EngineHarness.Client c : room) {
      assertThat(texts(c)).containsExactly("one", "two");
    }
  }

  @Test
  void subscribersWhoLeaveOrMoveGetNothingMoreAndTheOthersStillDo() {
    EngineHarness.Client a = h.connect();
    a.signIn(1, 1);
    EngineHarness.Client b = h.connect();
    b.signIn(2, 1);
    List<EngineHarness.Client> room = subscribers(a, b, 100, 1_100);
    List<EngineHarness.Client> stay = new ArrayList<>();
    List<EngineHarness.Client> gone = new ArrayList<>();
    for (int i = 0; i < room.size(); i++) {
      EngineHarness.Client c = room.get(i);
      if (i % 3 == 0) {
        c.subscribeRoom(ROOM + 1); // a connection is in one room at a time
        gone.add(c);
      } else if (i % 3 == 1) {
        c.connection.close();
        gone.add(c);
      } else {
        stay.add(c);
      }
    }
    h.runAll();
    room.get(0).subscribeRoom(ROOM); // back again: once, not twice

    say(a, "after");

    for (EngineHarness.Client c : stay) {
      assertThat(texts(c)).containsExactly("after");
    }
    assertThat(texts(room.get(0))).containsExactly("after");
    for (EngineHarness.Client c : gone.subList(1, gone.size())) {
      assertThat(texts(c)).isEmpty();
    }
  }

  @Test
  void aPushToAllReachesEverySignedInDeviceOnEveryThreadOnce() {
    EngineHarness.Client a = h.connect();
    a.signIn(1, 1);
    EngineHarness.Client b = h.connect();
    b.signIn(2, 1);
    List<EngineHarness.Client> everyone = subscribers(a, b, 100, 700);
    EngineHarness.Client notSignedIn = h.connectOnThreadOf(a);

    h.engine.messages().pushToAll(42, new byte[] {7}).toCompletableFuture().join();
    h.runAll();

    everyone.add(a);
    everyone.add(b);
    for (EngineHarness.Client c : everyone) {
      assertThat(c.pushes())
          .singleElement()
          .satisfies(m -> assertThat(m.getCommandValue()).isEqualTo(42));
    }
    assertThat(notSignedIn.pushes()).isEmpty();
  }
}
