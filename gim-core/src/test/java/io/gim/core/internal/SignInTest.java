package io.gim.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.gim.core.memory.InMemoryPresenceRegistry;
import io.gim.core.memory.InMemoryStores;
import io.gim.protocol.PacketCommand;
import io.gim.protocol.Reply;
import io.gim.protocol.SignInRequest;
import io.gim.spi.AuthProvider;
import io.gim.spi.AuthResult;
import io.gim.spi.GimException;
import io.gim.spi.cluster.PresenceRegistry;
import io.gim.spi.cluster.Route;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SignInTest {

  @Test
  void theSameDeviceIdOfAnotherUserKicksNobody() {
    EngineHarness h = new EngineHarness();
    EngineHarness.Client alice = h.connect();
    EngineHarness.Client bob = h.connect();

    assertThat(alice.signIn(1, 1).getCode()).isZero();
    assertThat(bob.signIn(2, 1).getCode()).isZero();

    assertThat(alice.isOpen()).isTrue();
    assertThat(kickOuts(alice)).isEmpty();
    assertThat(h.engine.sessionCount()).isEqualTo(2);
    assertThat(bob.sendTo(1, "hi").getCode()).isZero();
    assertThat(alice.pushes()).hasSize(1);
  }

  @Test
  void aSecondSignInOfTheSameDeviceKicksTheOlderConnectionAndItIsDeadAtOnce() {
    EngineHarness h = new EngineHarness();
    EngineHarness.Client older = h.connect();
    older.signIn(1, 7);
    // Queued on the older connection before the newer signs in: never handled.
    String lateSend = older.write(PacketCommand.PC_SEND, null);

    EngineHarness.Client newer = h.connect();
    newer.write(
        PacketCommand.PC_SIGN_IN,
        SignInRequest.newBuilder().setUserId(1).setDeviceId(7).setToken("ok").build());
    newer.connection.runPending(); // the newer sign-in completes; the older has not run yet
    h.runAll();

    assertThat(older.reply(lateSend)).isNull();
    List<Reply> kicks = kickOuts(older);
    assertThat(kicks).singleElement().extracting(Reply::getCode).isEqualTo(10301);
    assertThat(older.isOpen()).isFalse();
    assertThat(newer.isOpen()).isTrue();
    assertThat(h.engine.sessionCount()).isEqualTo(1);
    assertThat(h.presence.lookup(List.of(1L)).toCompletableFuture().join().get(1L))
        .singleElement()
        .satisfies(r -> assertThat(r.connectionId()).isEqualTo(newer.connection.id()));
  }

  @Test
  void aKickedSessionsHeartbeatDoesNotTakeBackTheRoute() {
    EngineHarness h = new EngineHarness();
    EngineHarness.Client older = h.connect();
    older.signIn(1, 7);
    older.write(PacketCommand.PC_HEARTBEAT, null);
    EngineHarness.Client newer = h.connect();
    newer.write(
        PacketCommand.PC_SIGN_IN,
        SignInRequest.newBuilder().setUserId(1).setDeviceId(7).setToken("ok").build());
    newer.connection.runPending(); // newer bound first; then the older's heartbeat runs
    h.runAll();

    assertThat(older.packets()).noneMatch(p -> p.getCommand() == PacketCommand.PC_HEARTBEAT);
    assertThat(h.presence.lookup(List.of(1L)).toCompletableFuture().join().get(1L))
        .singleElement()
        .satisfies(r -> assertThat(r.connectionId()).isEqualTo(newer.connection.id()));
  }

  @Test
  void aKickedSessionGetsNoPushes() {
    EngineHarness h = new EngineHarness();
    EngineHarness.Client older = h.connect();
    older.signIn(1, 7);
    EngineHarness.Client newer = h.connect();
    newer.signIn(1, 7);
    EngineHarness.Client sender = h.connect();
    sender.signIn(2, 1);

    sender.sendTo(1, "after the kick");

    assertThat(older.pushes()).isEmpty();
    assertThat(newer.pushes()).hasSize(1);
  }

  @Test
  void userOrDeviceZeroIsABadRequest() {
    EngineHarness h = new EngineHarness();
    EngineHarness.Client c = h.connect();

    assertThat(c.signIn(0, 1).getCode()).isEqualTo(10001);
    assertThat(c.signIn(1, 0).getCode()).isEqualTo(10001);
    assertThat(c.signIn(1, 1).getCode()).isZero();
  }

  @Test
  void aRefusedSignInRetriedAtOnceIsDecidedAgain() {
    EngineHarness h = new EngineHarness();
    EngineHarness.Client c = h.connect();
    String first =
        c.write(
            PacketCommand.PC_SIGN_IN,
            SignInRequest.newBuilder().setUserId(1).setDeviceId(1).setToken("bad").build());
    // Run only until the refusal is out, then retry at once, as a client reacting to it would.
    while (c.reply(first) == null) {
      c.connection.runOne();
    }
    String second =
        c.write(
            PacketCommand.PC_SIGN_IN,
            SignInRequest.newBuilder().setUserId(1).setDeviceId(1).setToken("ok").build());
    h.runAll();

    assertThat(c.reply(first).getCode()).isEqualTo(10000);
    assertThat(c.reply(second).getCode()).isZero();
  }

  @Test
  void whatIsPipelinedBehindASignInWaitsForItsDecision() {
    CompletableFuture<AuthResult> decision = new CompletableFuture<>();
    EngineHarness h = new EngineHarness((user, device, token) -> decision);
    EngineHarness.Client c = h.connect();
    String signIn =
        c.write(
            PacketCommand.PC_SIGN_IN,
            SignInRequest.newBuilder().setUserId(1).setDeviceId(1).setToken("ok").build());
    String beat = c.write(PacketCommand.PC_HEARTBEAT, null);
    String again =
        c.write(
            PacketCommand.PC_SIGN_IN,
            SignInRequest.newBuilder().setUserId(1).setDeviceId(1).setToken("ok").build());
    h.runAll();
    assertThat(c.packets()).isEmpty(); // all held while the provider decides
    assertThat(c.connection.readsPaused()).isTrue();

    decision.complete(AuthResult.allowed());
    h.runAll();

    assertThat(c.reply(signIn).getCode()).isZero();
    assertThat(c.packets()).anyMatch(p -> p.getRequestId().equals(beat)); // echoed, not 10000
    assertThat(c.reply(again).getMessage()).isEqualTo("already signed in");
    assertThat(c.connection.readsPaused()).isFalse();
  }

  @Test
  void whatIsPipelinedBehindARefusedSignInIsUnauthorized() {
    EngineHarness h = new EngineHarness();
    EngineHarness.Client c = h.connect();
    c.write(
        PacketCommand.PC_SIGN_IN,
        SignInRequest.newBuilder().setUserId(1).setDeviceId(1).setToken("bad").build());
    String send = c.write(PacketCommand.PC_SEND, null);
    h.runAll();

    assertThat(c.reply(send).getCode()).isEqualTo(10000);
  }

  @Test
  void aProviderThatThrowsGetsAnAnswerAndTheClientMayRetry() {
    AtomicInteger calls = new AtomicInteger();
    AuthProvider flaky =
        (user, device, token) -> {
          if (calls.incrementAndGet() == 1) {
            throw new IllegalStateException("provider bug");
          }
          return CompletableFuture.completedFuture(AuthResult.allowed());
        };
    EngineHarness h = new EngineHarness(flaky);
    EngineHarness.Client c = h.connect();

    Reply failed = c.signIn(1, 1);
    assertThat(failed.getCode()).isEqualTo(10304);
    assertThat(failed.getMessage()).doesNotContain("provider bug");
    assertThat(c.signIn(1, 1).getCode()).isZero();
  }

  @Test
  void aProviderGimExceptionWithCodeZeroStillGetsAnAnswer() {
    AuthProvider zero =
        (user, device, token) -> CompletableFuture.failedFuture(new GimException(0, "zero", null));
    EngineHarness h = new EngineHarness(zero);
    EngineHarness.Client c = h.connect();

    Reply reply = c.signIn(1, 1);

    assertThat(reply).isNotNull();
    assertThat(reply.getCode()).isNotZero();
  }

  @Test
  void aProviderThatAnswersNullGetsAnAnswer() {
    EngineHarness h = new EngineHarness((user, device, token) -> null);
    EngineHarness.Client c = h.connect();

    assertThat(c.signIn(1, 1).getCode()).isEqualTo(10304);
  }

  @Test
  void aProviderCodeReachesTheClientAndThreeRefusalsClose() {
    EngineHarness h =
        new EngineHarness(
            (user, device, token) ->
                CompletableFuture.completedFuture(AuthResult.denied(10200, "no such device")));
    EngineHarness.Client c = h.connect();

    Reply first = c.signIn(1, 1);
    assertThat(first.getCode()).isEqualTo(10200);
    assertThat(first.getMessage()).isEqualTo("no such device");
    c.signIn(1, 1);
    assertThat(c.isOpen()).isTrue();
    c.signIn(1, 1);
    assertThat(c.isOpen()).isFalse();
  }

  @Test
  void everyCommandBeforeSignInIsUnauthorized() {
    EngineHarness h = new EngineHarness();
    EngineHarness.Client c = h.connect();

    for (PacketCommand command :
        List.of(
            PacketCommand.PC_HEARTBEAT,
            PacketCommand.PC_SUBSCRIBE_ROOM,
            PacketCommand.PC_SYNC,
            PacketCommand.PC_ACK,
            PacketCommand.PC_SEND)) {
      assertThat(c.call(command, null).getCode()).as(command.name()).isEqualTo(10000);
    }
  }

  @Test
  void theSignInTimeoutClosesOnlyAConnectionThatIsNotSignedIn() {
    EngineHarness h = new EngineHarness();
    EngineHarness.Client idle = h.connect();
    EngineHarness.Client signedIn = h.connect();
    signedIn.signIn(1, 1);

    idle.connection.fireScheduled();
    signedIn.connection.fireScheduled();
    h.runAll();

    assertThat(idle.isOpen()).isFalse();
    assertThat(signedIn.isOpen()).isTrue();
  }

  @Test
  void theSignInTimerIsDroppedAtSignInAndAtCloseButKeptAfterARefusal() {
    EngineHarness h = new EngineHarness();
    EngineHarness.Client signedIn = h.connect();
    EngineHarness.Client refused = h.connect();
    EngineHarness.Client closed = h.connect();
    assertThat(signedIn.connection.scheduledCount()).isEqualTo(1);

    signedIn.signIn(1, 1);
    refused.signIn(2, 1, "wrong");
    closed.connection.close();
    h.runAll();

    // A signed-in connection holds no timer for the rest of its life (idle connections add up).
    assertThat(signedIn.connection.scheduledCount()).isZero();
    assertThat(closed.connection.scheduledCount()).isZero();
    // A refused one is still bound by the timeout that runs from its accept.
    assertThat(refused.connection.scheduledCount()).isEqualTo(1);
    refused.connection.fireScheduled();
    h.runAll();
    assertThat(refused.isOpen()).isFalse();
  }

  @Test
  void aConnectionClosedWhileTheProviderDecidesIsNeverBound() {
    CompletableFuture<AuthResult> decision = new CompletableFuture<>();
    EngineHarness h = new EngineHarness((user, device, token) -> decision);
    EngineHarness.Client c = h.connect();
    c.write(
        PacketCommand.PC_SIGN_IN,
        SignInRequest.newBuilder().setUserId(1).setDeviceId(1).setToken("ok").build());
    h.runAll();

    c.connection.close();
    h.runAll();
    decision.complete(AuthResult.allowed());
    h.runAll();

    assertThat(h.engine.sessionCount()).isZero();
    assertThat(h.presence.lookup(List.of(1L)).toCompletableFuture().join()).isEmpty();
  }

  private static List<Reply> kickOuts(EngineHarness.Client c) {
    return c.packets().stream()
        .filter(p -> p.getCommand() == PacketCommand.PC_KICK_OUT)
        .map(EngineHarness::parse)
        .toList();
  }

  @Test
  void theSignInIsAcknowledgedOnlyOnceTheDevicesRouteIsRegistered() {
    // A registry that answers when the test says so (a Redis round trip, frozen).
    CompletableFuture<Void> answer = new CompletableFuture<>();
    InMemoryPresenceRegistry routes = new InMemoryPresenceRegistry();
    PresenceRegistry slow =
        new PresenceRegistry() {
          @Override
          public CompletionStage<Void> register(Route route, Duration ttl) {
            return answer.thenCompose(ignored -> routes.register(route, ttl));
          }

          @Override
          public CompletionStage<Void> unregister(Route route) {
            return routes.unregister(route);
          }

          @Override
          public CompletionStage<Map<Long, List<Route>>> lookup(Collection<Long> userIds) {
            return routes.lookup(userIds);
          }
        };
    EngineHarness h =
        new EngineHarness(EngineHarness.TOKEN_OK, InMemoryStores.create(), s -> s, slow, null);
    EngineHarness.Client c = h.connect();
    String signIn =
        c.write(
            PacketCommand.PC_SIGN_IN,
            SignInRequest.newBuilder().setUserId(1).setDeviceId(1).setToken("ok").build());
    h.runAll();

    // The client syncs right after its reply: a push sent before the route is visible would miss
    // this device while the sync had already been read.
    assertThat(c.reply(signIn)).isNull();

    answer.complete(null);
    h.runAll();

    assertThat(c.reply(signIn).getCode()).isZero();
    assertThat(routes.lookup(List.of(1L)).toCompletableFuture().join()).containsKey(1L);
  }
}
