package io.gim.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.gim.core.memory.InMemoryNodeLink;
import io.gim.core.memory.InMemoryPresenceRegistry;
import io.gim.core.memory.InMemoryStores;
import io.gim.protocol.Message;
import io.gim.protocol.PacketCommand;
import io.gim.spi.Stores;
import io.gim.spi.store.Group;
import io.gim.spi.store.GroupMember;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Two engines sharing stores and a presence registry, linked by in-JVM node links: a message to a
 * user reaches the user's devices on the other node with the right seq, a device signing in on one
 * node kicks its older connection on the other, and a node that cannot be reached loses nothing.
 */
class CrossNodeTest {
  private final Stores stores = InMemoryStores.create();
  private final InMemoryPresenceRegistry presence = new InMemoryPresenceRegistry();
  private final InMemoryNodeLink.Hub hub = new InMemoryNodeLink.Hub();
  private final EngineHarness a = node("a");
  private final EngineHarness b = node("b");

  private EngineHarness node(String id) {
    return new EngineHarness(
        EngineHarness.TOKEN_OK, stores, s -> s.nodeId(id), presence, hub.link(id));
  }

  @Test
  void aMessageToAUserReachesTheirDevicesOnTheOtherNodeWithTheirSeq() {
    EngineHarness.Client bobOnA = a.connect();
    EngineHarness.Client bobOnB = b.connect();
    EngineHarness.Client alice = b.connect();
    bobOnA.signIn(2, 1);
    bobOnB.signIn(2, 2);
    alice.signIn(1, 1);

    alice.sendTo(2, "hi bob");
    a.runAll();
    b.runAll();

    List<Message> onA = bobOnA.pushes();
    assertThat(onA).hasSize(1);
    assertThat(onA.get(0).getSeq()).isEqualTo(bobOnB.pushes().get(0).getSeq()).isPositive();
    assertThat(onA.get(0).getContent()).isEqualTo(bobOnB.pushes().get(0).getContent());
  }

  @Test
  void theSendersOtherDevicesOnTheOtherNodeGetItButNotTheSendingDevice() {
    EngineHarness.Client aliceOnA = a.connect();
    EngineHarness.Client aliceOnB = b.connect();
    aliceOnA.signIn(1, 1);
    aliceOnB.signIn(1, 2);
    b.connect().signIn(2, 1);

    aliceOnB.sendTo(2, "from b");
    a.runAll();
    b.runAll();

    assertThat(aliceOnA.pushes()).hasSize(1);
    assertThat(aliceOnB.pushes()).isEmpty();
  }

  @Test
  void aGroupMessageReachesMembersOnBothNodes() {
    long group =
        stores
            .groups()
            .create(
                Group.named("g"), List.of(GroupMember.of(1), GroupMember.of(2), GroupMember.of(3)))
            .toCompletableFuture()
            .join();
    EngineHarness.Client m1 = a.connect();
    EngineHarness.Client m2 = b.connect();
    EngineHarness.Client m3 = a.connect();
    m1.signIn(1, 1);
    m2.signIn(2, 1);
    m3.signIn(3, 1);

    m2.call(
        PacketCommand.PC_SEND,
        io.gim.protocol.SendRequest.newBuilder()
            .setGroupId(group)
            .setContent(com.google.protobuf.ByteString.copyFromUtf8("to all"))
            .build());
    a.runAll();
    b.runAll();

    assertThat(m1.pushes()).hasSize(1);
    assertThat(m3.pushes()).hasSize(1);
  }

  @Test
  void signingInOnOneNodeKicksTheDevicesOlderConnectionOnTheOther() {
    EngineHarness.Client older = a.connect();
    older.signIn(1, 1);
    EngineHarness.Client otherDevice = a.connect();
    otherDevice.signIn(1, 2);

    b.connect().signIn(1, 1);
    a.runAll();

    assertThat(older.packets())
        .anySatisfy(p -> assertThat(p.getCommand()).isEqualTo(PacketCommand.PC_KICK_OUT));
    assertThat(older.isOpen()).isFalse();
    assertThat(otherDevice.isOpen()).isTrue();
    // The newer connection's route is the device's route now.
    assertThat(presence.lookup(List.of(1L)).toCompletableFuture().join().get(1L))
        .anySatisfy(r -> assertThat(r.nodeId()).isEqualTo("b"))
        .noneSatisfy(r -> assertThat(r.deviceId() == 1 && r.nodeId().equals("a")).isTrue());
  }

  @Test
  void aNodeThatCannotBeReachedLosesNothing() {
    EngineHarness.Client bobOnA = a.connect();
    bobOnA.signIn(2, 1);
    EngineHarness.Client alice = b.connect();
    alice.signIn(1, 1);
    a.engine.stop(); // node a's link stops serving: as if a were cut off

    assertThat(alice.sendTo(2, "stored anyway").getCode()).isZero();

    // Not pushed (node a is out of reach), but stored: bob's device syncs it.
    a.runAll();
    assertThat(bobOnA.pushes()).isEmpty();
    assertThat(stores.messages().sync(2, 0, 10).toCompletableFuture().join().messages()).hasSize(1);
  }
}
