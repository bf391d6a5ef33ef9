package io.gim.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gim.core.GimServer;
import io.gim.core.ListenSpec;
import io.gim.protocol.Message;
import io.gim.protocol.PacketCommand;
import io.gim.protocol.SubscribeRoomRequest;
import io.gim.testkit.RecordingClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** GIM's room priority lane over a real socket: what a subscriber that fell behind sees. */
@Timeout(60)
@ExtendWith(NettyLeakCheck.class)
class RoomPriorityLaneIT {
  private static final long ROOM = 7;
  private static final int ORDINARY = 300;
  private static final int URGENT = 301;

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private GimServer server;
  private RecordingClient subscriber;

  @AfterEach
  void closeEverything() throws Exception {
    if (subscriber != null) {
      subscriber.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aPriorityRoomMessageOvertakesOrdinaryOnesStillQueuedForASubscriberThatFellBehind()
      throws Exception {
    server =
        GimServer.builder()
            .auth(AbstractEndToEndIT.AUTH)
            .tcp("127.0.0.1", 0)
            .writeBufferWaterMarks(32 * 1024, 64 * 1024)
            .maxPendingOutboundBytes(64 * 1024 * 1024)
            .unwritableTimeout(Duration.ofSeconds(60))
            .meterRegistry(registry)
            .build();
    server.start().join();
    subscriber =
        RecordingClient.tcp("127.0.0.1", server.activePort(ListenSpec.Kind.TCP))
            .assertSignedIn(1, 11, "token-1");
    assertThat(
            subscriber
                .call(
                    PacketCommand.PC_SUBSCRIBE_ROOM,
                    SubscribeRoomRequest.newBuilder().setRoomId(ROOM).build())
                .getCode())
        .isZero();

    subscriber.pauseReading();
    // 16 MiB: far more than the loopback socket buffers take (4 MiB to send, less to receive), so
    // most of it waits in the server, yet below the 64 MiB close limit.
    int count = 2048;
    for (int i = 0; i < count; i++) {
      byte[] payload = ByteBuffer.allocate(8 * 1024).putInt(i).array();
      server.messages().pushToRoom(ROOM, ORDINARY, payload, false).toCompletableFuture().join();
    }
    server.messages().pushToRoom(ROOM, URGENT, new byte[] {1}, true).toCompletableFuture().join();
    // A push returns before the subscriber's thread has written it: wait until every one has
    // reached the connection (written or held) before the subscriber reads again.
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                registry.get("gim.messages.delivered").tag("kind", "room").counter().count()
                    == count + 1);
    subscriber.resumeReading();

    await().atMost(Duration.ofSeconds(30)).until(() -> subscriber.messageCount() == count + 1);
    List<Message> got = subscriber.messages();
    int urgentAt =
        IntStream.range(0, got.size())
            .filter(i -> got.get(i).getCommandValue() == URGENT)
            .findFirst()
            .orElseThrow();
    List<Integer> ordinary =
        got.stream()
            .filter(m -> m.getCommandValue() == ORDINARY)
            .map(m -> m.getContent().asReadOnlyByteBuffer().getInt())
            .toList();
    assertThat(ordinary)
        .as("every ordinary message, in the order pushed")
        .isEqualTo(IntStream.range(0, count).boxed().toList());
    assertThat(got.size() - 1 - urgentAt)
        .as("ordinary messages pushed before the priority one but delivered after it")
        .isGreaterThan(count / 2);
    assertThat(subscriber.isClosed()).isFalse();
  }
}
