package io.gim.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.gim.core.memory.InMemoryStores;
import io.gim.protocol.PacketCommand;
import io.gim.protocol.SendRequest;
import io.gim.protocol.SyncRequest;
import io.gim.spi.Stores;
import io.gim.spi.store.AppendRequest;
import io.gim.spi.store.AppendResult;
import io.gim.spi.store.MessageStore;
import io.gim.spi.store.SyncPage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** Requests in flight per connection: a pipelining client is paused, not refused. */
class FlowControlTest {
  private final HeldStores stores = new HeldStores();
  private final EngineHarness h =
      new EngineHarness(EngineHarness.TOKEN_OK, stores.bundle(), s -> s.maxRequestsInFlight(4));

  @Test
  void pastTheLimitTheConnectionStopsReadingAndEveryRequestIsStillAnswered() {
    EngineHarness.Client c = h.connect();
    c.signIn(1, 1);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      ids.add(c.write(PacketCommand.PC_SYNC, SyncRequest.newBuilder().setSeq(5).build()));
    }
    h.runAll();

    assertThat(stores.held).hasSize(4); // only the limit reached the store
    assertThat(c.connection.readsPaused()).isTrue();

    stores.releaseEverySync(h);

    assertThat(ids).allSatisfy(id -> assertThat(c.reply(id).getCode()).isZero());
    assertThat(c.connection.readsPaused()).isFalse();
    assertThat(stores.released).isEqualTo(10);
  }

  @Test
  void oneConnectionsBacklogDoesNotHoldBackAnother() {
    EngineHarness.Client hog = h.connect();
    hog.signIn(1, 1);
    for (int i = 0; i < 50; i++) {
      hog.write(PacketCommand.PC_SYNC, SyncRequest.newBuilder().setSeq(5).build());
    }
    EngineHarness.Client other = h.connect();
    other.signIn(2, 1);
    String mine = other.write(PacketCommand.PC_SYNC, SyncRequest.newBuilder().setSeq(5).build());
    h.runAll();

    assertThat(stores.held).hasSize(4 + 1); // the hog's limit, and the other's request
    stores.releaseLast();
    h.runAll();
    assertThat(other.reply(mine).getCode()).isZero();
  }

  @Test
  void connectionsTakeTurnsAtTheStoresSoAHogCannotQueueAheadOfEveryone() {
    HeldStores held = new HeldStores();
    EngineHarness gated =
        new EngineHarness(
            EngineHarness.TOKEN_OK,
            held.bundle(),
            s -> s.maxRequestsInFlight(256).maxStoreRequestsInFlight(2));
    EngineHarness.Client hog = gated.connect();
    hog.signIn(1, 1);
    for (int i = 0; i < 100; i++) {
      hog.write(PacketCommand.PC_SYNC, SyncRequest.newBuilder().setSeq(5).build());
    }
    EngineHarness.Client other = gated.connect();
    other.signIn(2, 1);
    String mine = other.write(PacketCommand.PC_SYNC, SyncRequest.newBuilder().setSeq(5).build());
    gated.runAll();

    assertThat(held.held).hasSize(2); // the gate's permits, both the hog's
    assertThat(held.users).containsExactly(1L, 1L);

    held.releaseOne();
    gated.runAll();
    held.releaseOne();
    gated.runAll();
    // Freed permits go round robin: the hog (queued first) and then the other connection, not
    // all of the hog's 98 waiting requests first.
    assertThat(held.users).containsExactly(1L, 1L, 1L, 2L);
    held.releaseLast();
    gated.runAll();
    assertThat(other.reply(mine).getCode()).isZero();

    held.releaseEverySync(gated);
    assertThat(held.calls).isEqualTo(101);
    assertThat(hog.packets().stream().filter(p -> p.getRequestId().startsWith("r")).count())
        .isEqualTo(101); // the sign-in and every sync answered, none refused
  }

  @Test
  void sendsAndSyncsHaveBudgetsOfTheirOwnSoNeitherKindHoldsBackTheOther() {
    HeldStores held = new HeldStores();
    held.holdAppends = true;
    EngineHarness gated =
        new EngineHarness(
            EngineHarness.TOKEN_OK,
            held.bundle(),
            s -> s.maxRequestsInFlight(256).maxStoreRequestsInFlight(2).maxStoreSendsInFlight(3));
    EngineHarness.Client syncHog = gated.connect();
    syncHog.signIn(1, 1);
    for (int i = 0; i < 50; i++) {
      syncHog.write(PacketCommand.PC_SYNC, SyncRequest.newBuilder().setSeq(5).build());
    }
    EngineHarness.Client sendHog = gated.connect();
    sendHog.signIn(2, 1);
    List<String> hogSends = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      hogSends.add(sendHog.write(PacketCommand.PC_SEND, send(9, "hog " + i)));
    }
    EngineHarness.Client light = gated.connect();
    light.signIn(3, 1);
    String lightSend = light.write(PacketCommand.PC_SEND, send(9, "light"));
    String lightSync =
        light.write(PacketCommand.PC_SYNC, SyncRequest.newBuilder().setSeq(0).build());
    gated.runAll();

    // Each lane is full with its own kind: the pipelined syncs did not take the sends' permits.
    assertThat(held.held).hasSize(2);
    assertThat(held.appends).hasSize(3);
    assertThat(held.appendSenders).containsExactly(2L, 2L, 2L);

    // A freed send permit goes to the longest-waiting connection of the send lane, round robin:
    // the hog (queued first), then the light client, not the hog's 46 other waiting sends.
    held.releaseAppend();
    gated.runAll();
    held.releaseAppend();
    gated.runAll();
    assertThat(held.appendSenders).containsExactly(2L, 2L, 2L, 2L, 3L);
    held.releaseEveryAppend(gated);
    assertThat(light.reply(lightSend).getCode()).isZero();
    assertThat(hogSends).allSatisfy(id -> assertThat(sendHog.reply(id).getCode()).isZero());
    assertThat(held.appendSenders).hasSize(51);

    held.releaseEverySync(gated);
    assertThat(light.reply(lightSync).getCode()).isZero();
    assertThat(held.calls).isEqualTo(51);
  }

  private static SendRequest send(long to, String text) {
    return SendRequest.newBuilder()
        .setToUserId(to)
        .setContent(ByteString.copyFromUtf8(text))
        .build();
  }

  @Test
  void aClosedConnectionsWaitingAndUnstartedWorkIsDropped() {
    EngineHarness.Client c = h.connect();
    c.signIn(1, 1);
    for (int i = 0; i < 10; i++) {
      c.write(PacketCommand.PC_SYNC, SyncRequest.newBuilder().setSeq(5).build());
    }
    h.runAll();

    c.connection.close();
    h.runAll();

    assertThat(stores.held).hasSize(4).allSatisfy(f -> assertThat(f.isCancelled()).isTrue());
    stores.held.clear();
    assertThat(stores.calls).isEqualTo(4); // the 6 waiting frames never reached the store
  }

  /** In-memory stores whose syncs wait until the test releases them. */
  private static final class HeldStores {
    private final InMemoryStores real = InMemoryStores.create();
    final List<CompletableFuture<SyncPage>> held = new ArrayList<>();
    final List<Long> users = new ArrayList<>();
    final List<Runnable> appends = new ArrayList<>();
    final List<Long> appendSenders = new ArrayList<>();
    boolean holdAppends;
    int calls;
    int released;

    private final MessageStore messages =
        new MessageStore() {
          @Override
          public CompletionStage<AppendResult> append(AppendRequest request) {
            if (!holdAppends) {
              return real.messages().append(request);
            }
            appendSenders.add(request.message().senderUserId());
            CompletableFuture<AppendResult> f = new CompletableFuture<>();
            appends.add(
                () ->
                    real.messages()
                        .append(request)
                        .whenComplete(
                            (r, e) -> {
                              if (e != null) {
                                f.completeExceptionally(e);
                              } else {
                                f.complete(r);
                              }
                            }));
            return f;
          }

          @Override
          public CompletionStage<SyncPage> sync(long userId, long afterSeq, int limit) {
            calls++;
            users.add(userId);
            CompletableFuture<SyncPage> f = new CompletableFuture<>();
            held.add(f);
            return f;
          }

          @Override
          public CompletionStage<Void> ack(long userId, long deviceId, long seq) {
            return real.messages().ack(userId, deviceId, seq);
          }

          @Override
          public CompletionStage<Long> maxAck(long userId) {
            return real.messages().maxAck(userId);
          }
        };

    void releaseOne() {
      held.remove(0).complete(new SyncPage(List.of(), false, 1));
      released++;
    }

    /** Completes the held syncs one at a time, running {@code h} after each, until none is held. */
    void releaseEverySync(EngineHarness h) {
      while (!held.isEmpty()) {
        releaseOne();
        h.runAll();
      }
    }

    /** As {@link #releaseEverySync}, for the held appends. */
    void releaseEveryAppend(EngineHarness h) {
      while (!appends.isEmpty()) {
        releaseAppend();
        h.runAll();
      }
    }

    void releaseAppend() {
      appends.remove(0).run();
    }

    void releaseLast() {
      held.remove(held.size() - 1).complete(new SyncPage(List.of(), false, 1));
      released++;
    }

    Stores bundle() {
      return Stores.of(messages, real.groups(), real.devices());
    }
  }
}
