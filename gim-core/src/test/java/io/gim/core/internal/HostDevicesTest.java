package io.gim.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gim.core.Devices;
import io.gim.protocol.Message;
import io.gim.protocol.Packet;
import io.gim.protocol.PacketCommand;
import io.gim.spi.GimException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * {@code server.devices()}: moving a connected device into a room for the host, and signing a
 * device out, as PROTOCOL.md's PC_SUBSCRIBE_ROOM and PC_KICK_OUT describe them.
 */
class HostDevicesTest {
  private final EngineHarness h = new EngineHarness();
  private final Devices devices = h.engine.devices();

  private CompletableFuture<Void> subscribe(long user, long device, long room) {
    CompletableFuture<Void> done = devices.subscribeRoom(user, device, room).toCompletableFuture();
    h.runAll();
    return done;
  }

  private void pushToRoom(long room, String text) {
    h.engine
        .messages()
        .pushToRoom(room, 3, text.getBytes(StandardCharsets.UTF_8), false)
        .toCompletableFuture()
        .join();
    h.runAll();
  }

  private static List<String> texts(EngineHarness.Client c) {
    return c.pushes().stream().map(m -> m.getContent().toStringUtf8()).toList();
  }

  private static void assertCode(CompletableFuture<?> f, int code) {
    assertThatThrownBy(f::join)
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOfSatisfying(GimException.class, e -> assertThat(e.code()).isEqualTo(code));
  }

  @Test
  void subscribeRoomMovesTheDevicesConnectionIntoTheRoom() {
    EngineHarness.Client phone = h.connect();
    phone.signIn(1, 1);
    EngineHarness.Client outsider = h.connect();
    outsider.signIn(2, 1);

    subscribe(1, 1, 9).join();
    pushToRoom(9, "in room 9");

    List<Message> got = phone.pushes();
    assertThat(got).extracting(m -> m.getContent().toStringUtf8()).containsExactly("in room 9");
    assertThat(got.get(0).getRoomId()).isEqualTo(9);
    assertThat(got.get(0).getSeq()).isZero();
    assertThat(outsider.pushes()).isEmpty();
  }

  @Test
  void subscribingAnotherRoomLeavesThePreviousAndRoomZeroLeavesAltogether() {
    EngineHarness.Client phone = h.connect();
    phone.signIn(1, 1);

    subscribe(1, 1, 9).join();
    subscribe(1, 1, 10).join();
    pushToRoom(9, "old room");
    pushToRoom(10, "new room");
    subscribe(1, 1, 0).join();
    pushToRoom(10, "after leaving");

    assertThat(texts(phone)).containsExactly("new room");
    assertThat(h.engine.roomCount()).isZero();
  }

  @Test
  void aDeviceWithoutAConnectionHereIsConnectionNotFoundAndIdsOfZeroAreBadRequests() {
    EngineHarness.Client otherUsersDevice7 = h.connect();
    otherUsersDevice7.signIn(2, 7);

    assertCode(subscribe(1, 7, 9), 10101);
    assertCode(subscribe(0, 7, 9), 10001);
    assertCode(subscribe(1, 0, 9), 10001);
    pushToRoom(9, "nobody");
    assertThat(otherUsersDevice7.pushes()).isEmpty();
  }

  @Test
  void signOutKicksTheDevicesConnectionAndClosesItButNotTheUsersOtherDevices() {
    EngineHarness.Client phone = h.connect();
    phone.signIn(1, 1);
    EngineHarness.Client laptop = h.connect();
    laptop.signIn(1, 2);

    devices.signOut(1, 1).toCompletableFuture().join();
    h.runAll();

    List<Packet> kicks =
        phone.packets().stream().filter(p -> p.getCommand() == PacketCommand.PC_KICK_OUT).toList();
    assertThat(kicks).hasSize(1);
    assertThat(EngineHarness.parse(kicks.get(0)).getCode()).isEqualTo(10000);
    assertThat(phone.isOpen()).isFalse();
    assertThat(laptop.isOpen()).isTrue();
    assertThat(h.engine.sessionCount()).isEqualTo(1);
  }

  @Test
  void signingOutADeviceThatIsNotConnectedIsNotAnError() {
    assertThat(devices.signOut(1, 1).toCompletableFuture().join()).isNull();
    assertCode(devices.signOut(0, 1).toCompletableFuture(), 10001);
  }
}
