package io.gim.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GimClientIT {

  private final ScriptedServer server = new ScriptedServer();
  private final Recorder listener = new Recorder();
  private GimClient client;

  @AfterEach
  void closeAll() {
    if (client != null) {
      client.close();
    }
    server.close();
  }

  private GimClient newClient() {
    client =
        GimClient.builder()
            .tcp("127.0.0.1", server.port())
            .credentials(42, 1, "secret")
            .listener(listener)
            .reconnect(Duration.ofMillis(10), Duration.ofMillis(50))
            .build();
    return client;
  }

  @Test
  void connectCompletesAfterSignInAndTheInitialSync() {
    server.store(1);
    server.store(2);

    newClient().connect().join();

    assertThat(listener.seqs).containsExactly(1L, 2L);
    assertThat(client.isConnected()).isTrue();
    assertThat(client.lastDeliveredSeq()).isEqualTo(2);
    assertThat(listener.connected).hasValue(1);
    await().untilAsserted(() -> assertThat(server.acks()).endsWith(2L));
  }

  @Test
  void deliversAUserMessageDecodedIntoTheClientsOwnTypes() {
    server.store(1);

    newClient().connect().join();

    assertThat(listener.messages)
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.kind()).isEqualTo(ReceivedMessage.Kind.USER);
              assertThat(m.from()).contains(new User(43, 2, "bo", "", ""));
              assertThat(m.toUserId()).isEqualTo(42);
              assertThat(m.content()).asString(StandardCharsets.UTF_8).isEqualTo("m1");
              assertThat(m.messageId()).isEqualTo(1001);
            });
  }

  @Test
  void deliversTheNextLivePushAndAcknowledgesIt() {
    newClient().connect().join();

    server.push(server.store(1));

    await().untilAsserted(() -> assertThat(listener.seqs).containsExactly(1L));
    await().untilAsserted(() -> assertThat(server.acks()).endsWith(1L));
  }

  @Test
  void failsConnectWithTheServersCodeWhenSignInIsRefused() {
    server.signInCode = 10000;

    assertThat(newClient().connect())
        .failsWithin(Duration.ofSeconds(5))
        .withThrowableThat()
        .havingCause()
        .isInstanceOfSatisfying(
            GimClientException.class, e -> assertThat(e.code()).isEqualTo(10000));
    assertThat(server.connections).hasSize(1);
  }

  @Test
  void aRefusedConnectFailsWithTheNetworkCause() throws Exception {
    int closedPort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    client =
        GimClient.builder()
            .tcp("127.0.0.1", closedPort)
            .credentials(42, 1, "secret")
            .listener(listener)
            .build();

    assertThat(client.connect())
        .failsWithin(Duration.ofSeconds(5))
        .withThrowableThat()
        .havingCause()
        .satisfies(e -> assertThat(e.toString()).containsIgnoringCase("refused"));
  }

  @Test
  void reconnectsAndResyncsAfterTheConnectionDrops() {
    server.store(1);
    newClient().connect().join();
    server.store(2); // stored while the client is away, never pushed

    server.latest().close();

    await().untilAsserted(() -> assertThat(listener.seqs).containsExactly(1L, 2L));
    assertThat(server.connections).hasSize(2);
    assertThat(listener.disconnects).hasValue(1);
    await().until(client::isConnected);
  }

  @Test
  void resubscribesTheRoomAfterReconnecting() {
    newClient().connect().join();
    client.subscribeRoom(7).join();

    server.latest().close();

    await()
        .until(
            () ->
                server.received.stream()
                        .filter(
                            p -> p.getCommand() == io.gim.protocol.PacketCommand.PC_SUBSCRIBE_ROOM)
                        .count()
                    == 2);
  }

  @Test
  void staysDisconnectedAfterAKickOut() {
    newClient().connect().join();

    server.kickOut();

    await().until(() -> listener.kickedOutCode.get() == 10301);
    await().until(() -> !client.isConnected());
    assertThat(server.connections).hasSize(1);
  }

  @Test
  void sendReturnsTheServersResultAndGeneratesAClientMsgId() {
    newClient().connect().join();

    SendResult result = client.sendToUser(43, new byte[] {1, 2}, null).join();

    assertThat(result).isEqualTo(new SendResult(9, 5, 1_700_000_001L));
    assertThat(server.received)
        .anySatisfy(p -> assertThat(p.getCommand().getNumber()).isEqualTo(7));
  }

  @Test
  void aNewDeviceStartsAfterTheLargestAckAndKeepsThatCursorForItsNextSync() {
    server.largestAck = 5; // another device of the user has everything up to 5
    server.store(4);
    server.store(5);

    newClient().connect().join();

    assertThat(listener.seqs).isEmpty();
    assertThat(client.lastDeliveredSeq()).isEqualTo(5);
    server.latest().close();
    await().until(() -> server.syncs.size() == 2);
    assertThat(server.syncs.get(1).getSeq()).isEqualTo(5);
  }

  @Test
  void neverAsksForSeqZeroAsItsCursorAgainOnceAPageWasRead() {
    newClient().connect().join(); // empty inbox, no acks: the cursor stays 0

    server.latest().close();

    await().until(() -> server.syncs.size() == 2);
    assertThat(server.syncs.get(0).getFromStart()).isFalse();
    assertThat(server.syncs.get(1).getSeq()).isZero();
    assertThat(server.syncs.get(1).getFromStart()).isTrue();
  }

  @Test
  void resyncsFromTheStartAfterAnEpochChangeAndSkipsWhatItHas() {
    server.store(1);
    server.store(2);
    newClient().connect().join();

    // The store lost its seqs: seq 1 is now the old message 1002, seq 2 a new one.
    server.epoch = 2;
    server.inbox.clear();
    server.store(1, 1002);
    server.store(2, 3001);
    server.largestAck = 2; // a stale ack must not hide the new space's first seqs
    server.latest().close();

    await().untilAsserted(() -> assertThat(listener.ids).containsExactly(1001L, 1002L, 3001L));
    assertThat(server.syncs).last().satisfies(s -> assertThat(s.getFromStart()).isTrue());
    assertThat(client.lastDeliveredSeq()).isEqualTo(2);
  }

  @Test
  void aRestartedClientNoticesAStoreThatLostItsSeqsWhileItWasAway() {
    server.epoch = 2; // the client last ran in epoch 1, at seq 5
    server.store(1, 3001);
    server.store(2, 3002);
    client =
        GimClient.builder()
            .tcp("127.0.0.1", server.port())
            .credentials(42, 1, "secret")
            .listener(listener)
            .initialCursor(InboxCursor.of(5, 1))
            .build();

    client.connect().join();

    assertThat(listener.ids).containsExactly(3001L, 3002L);
    assertThat(client.cursor()).isEqualTo(InboxCursor.of(2, 2));
  }

  private static final class Recorder implements MessageListener {
    final List<Long> seqs = new CopyOnWriteArrayList<>();
    final List<Long> ids = new CopyOnWriteArrayList<>();
    final List<ReceivedMessage> messages = new CopyOnWriteArrayList<>();
    final AtomicInteger connected = new AtomicInteger();
    final AtomicInteger disconnects = new AtomicInteger();
    final AtomicInteger kickedOutCode = new AtomicInteger();

    @Override
    public void onMessage(ReceivedMessage message) {
      seqs.add(message.seq());
      ids.add(message.messageId());
      messages.add(message);
    }

    @Override
    public void onConnected() {
      connected.incrementAndGet();
    }

    @Override
    public void onDisconnected(Throwable cause) {
      disconnects.incrementAndGet();
    }

    @Override
    public void onKickedOut(int code, String message) {
      kickedOutCode.set(code);
    }
  }
}
