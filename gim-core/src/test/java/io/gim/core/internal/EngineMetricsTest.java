package io.gim.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.gim.protocol.Packet;
import io.gim.protocol.PacketCommand;
import io.gim.protocol.SendRequest;
import io.gim.protocol.SubscribeRoomRequest;
import io.gim.protocol.SyncRequest;
import io.gim.spi.store.Group;
import io.gim.spi.store.GroupMember;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What an operator sees in the registry after clients did things a real client does. */
class EngineMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final EngineHarness h =
      new EngineHarness(
          EngineHarness.TOKEN_OK,
          io.gim.core.memory.InMemoryStores.create(),
          s -> s.meterRegistry(registry));

  private double count(String name, String... tags) {
    return registry.get(name).tags(tags).counter().count();
  }

  @Test
  void countsSignInsByTheirOutcome() {
    h.connect().signIn(1, 1, "ok");
    h.connect().signIn(2, 1, "wrong");
    h.connect().signIn(3, 1, "wrong");

    assertThat(count("gim.signins", "result", "allowed")).isEqualTo(1);
    assertThat(count("gim.signins", "result", "denied")).isEqualTo(2);
    assertThat(registry.get("gim.sessions").gauge().value()).isEqualTo(1);
  }

  @Test
  void countsRequestsByCommandAndReplyCode() {
    EngineHarness.Client alice = h.connect();
    alice.write(PacketCommand.PC_SYNC, SyncRequest.getDefaultInstance()); // before sign-in
    alice.signIn(1, 1);
    alice.sendTo(2, "hi");
    alice.call(
        PacketCommand.PC_SEND, SendRequest.newBuilder().setContent(ByteString.EMPTY).build());
    alice.call(PacketCommand.PC_SYNC, SyncRequest.getDefaultInstance());
    alice.connection.receive(Packet.newBuilder().setRequestId("x").setCommandValue(99).build());
    h.runAll();

    assertThat(count("gim.requests", "command", "sync", "code", "10000")).isEqualTo(1);
    assertThat(count("gim.requests", "command", "send", "code", "0")).isEqualTo(1);
    assertThat(count("gim.requests", "command", "send", "code", "10001")).isEqualTo(1);
    assertThat(count("gim.requests", "command", "sync", "code", "0")).isEqualTo(1);
    assertThat(count("gim.requests", "command", "unknown", "code", "10001")).isEqualTo(1);
    assertThat(registry.get("gim.sync.messages").summary().totalAmount()).isEqualTo(1);
  }

  @Test
  void timesStoreAppendsAndCountsMessagesAndTheirFanOut() {
    h.stores
        .groups()
        .create(
            new Group(7, "g", "", "", ""),
            List.of(GroupMember.of(1), GroupMember.of(2), GroupMember.of(3)))
        .toCompletableFuture()
        .join();
    EngineHarness.Client alice = h.connect();
    alice.signIn(1, 1);
    EngineHarness.Client bob = h.connect();
    bob.signIn(2, 1);
    alice.sendTo(2, "one");
    alice.call(
        PacketCommand.PC_SEND,
        SendRequest.newBuilder().setGroupId(7).setContent(ByteString.copyFromUtf8("g")).build());
    h.runAll();

    assertThat(
            registry.get("gim.store.calls").tags("op", "append", "outcome", "ok").timer().count())
        .isEqualTo(2);
    assertThat(count("gim.messages.accepted", "source", "client", "target", "user")).isEqualTo(1);
    assertThat(count("gim.messages.accepted", "source", "client", "target", "group")).isEqualTo(1);
    // The user message reached bob; the group message bob only (alice sent it, carol is offline).
    assertThat(count("gim.messages.delivered", "kind", "inbox")).isEqualTo(2);
    assertThat(registry.get("gim.fanout.receivers").tags("kind", "inbox").summary().max())
        .isEqualTo(3);
  }

  @Test
  void countsRoomDeliveriesAndConnectionsByTransport() {
    EngineHarness.Client a = h.connect();
    a.signIn(1, 1);
    EngineHarness.Client b = h.connect();
    b.signIn(2, 1);
    for (EngineHarness.Client c : List.of(a, b)) {
      c.call(
          PacketCommand.PC_SUBSCRIBE_ROOM, SubscribeRoomRequest.newBuilder().setRoomId(5).build());
    }
    a.call(
        PacketCommand.PC_SEND,
        SendRequest.newBuilder().setRoomId(5).setContent(ByteString.copyFromUtf8("r")).build());
    h.runAll();

    assertThat(count("gim.requests", "command", "subscribe_room", "code", "0")).isEqualTo(2);
    assertThat(count("gim.messages.delivered", "kind", "room")).isEqualTo(1);
    assertThat(registry.get("gim.connections").tags("transport", "unknown").gauge().value())
        .isEqualTo(2);
    assertThat(registry.get("gim.rooms").gauge().value()).isEqualTo(1);
  }
}
