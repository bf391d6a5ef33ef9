package io.gim.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.gim.core.memory.InMemoryStores;
import io.gim.protocol.PacketCommand;
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

    while (!stores.held.isEmpty()) {
      stores.releaseOne();
      h.runAll();
    }

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

    while (!held.held.isEmpty()) {
      held.releaseOne();
      gated.runAll();
    }
    assertThat(held.calls).isEqualTo(101);
    assertThat(hog.packets().stream().filter(p -> p.getRequestId().startsWith("r")).count())
        .isEqualTo(101); // the sign-in and every sync answered, none refused
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
    int calls;
    int released;

    private final MessageStore messages =
        new MessageStore() {
          @Override
          public CompletionStage<AppendResult> append(AppendRequest request) {
            return real.messages().append(request);
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

    void releaseLast() {
      held.remove(held.size() - 1).complete(new SyncPage(List.of(), false, 1));
      released++;
    }

    Stores bundle() {
      return Stores.of(messages, real.groups(), real.devices());
    }
  }
}
