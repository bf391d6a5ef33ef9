package io.gim.core.internal;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.gim.core.ServerConfig;
import io.gim.core.transport.Connection;
import io.gim.core.transport.ConnectionHandler;
import io.gim.protocol.Packet;
import io.gim.protocol.PacketCommand;
import io.gim.protocol.SubscribeRoomRequest;
import io.gim.spi.DeviceKey;
import io.gim.spi.GimErrorCode;
import io.gim.spi.GimException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: its sign-in state, room, requests in flight and the dispatch of its
 * packets.
 *
 * <p>Threading: every field but {@link #retired} is touched only on the connection's own thread
 * ({@link Connection#executor()}); work that finishes on a store or auth thread hops back there
 * before it reads or writes them. {@link #key()} is set once, before the session is published to
 * the registries, so other threads may read it once they found the session there. {@link #retired}
 * may be set from any thread: by a newer sign-in of the same device on another connection.
 *
 * <p>Flow control: at most {@code maxRequestsInFlight} requests are in flight at once. Past that,
 * frames already read wait here and the connection stops reading; as replies go out, waiting frames
 * run and reading resumes. A pipelining client is slowed, never refused. Requests that go to the
 * stores (sync, ack, send) also take turns with every other connection at the {@link StoreGate}.
 */
final class Session implements ConnectionHandler {
  private static final Logger log = LoggerFactory.getLogger(Session.class);

  enum State {
    NEW,
    AUTHENTICATING,
    SIGNED_IN,
    CLOSED
  }

  /** What a session works with; shared by every session of an engine. */
  record Handlers(
      ServerConfig config,
      SignIn signIn,
      Inbox inbox,
      Sender sender,
      RoomRegistry rooms,
      StoreGate gate,
      EngineMetrics metrics) {}

  private final Handlers handlers;
  private final Connection connection;
  private final int maxInFlight;
  // Created on first use: an idle connection holds its session for hours and never needs them.
  private ArrayDeque<byte[]> waiting;
  private ArrayDeque<Packet> gated;
  private volatile Set<CompletableFuture<?>> cancellable;
  private Future<?> signInTimer;
  private State state = State.NEW;
  private DeviceKey key;
  private long roomId;
  private int inFlight;
  private int refusedSignIns;
  private boolean readsPaused;
  private boolean awaitingGate;
  // The lane of the permit asked for or held for the oldest gated request: true for a send.
  private boolean gateForSend;
  private volatile boolean retired;
  private volatile boolean closed;

  Session(Connection connection, Handlers handlers) {
    this.handlers = handlers;
    this.connection = connection;
    this.maxInFlight = handlers.config().maxRequestsInFlight();
    handlers.metrics().connectionOpened(connection.transport());
    signInTimer = connection.schedule(handlers.config().signInTimeout(), this::closeIfNotSignedIn);
  }

  /** The signed-in device; null before sign-in. */
  DeviceKey key() {
    return key;
  }

  Connection connection() {
    return connection;
  }

  State state() {
    return state;
  }

  /** Whether pushes may still reach this session: signed in and neither kicked out nor closed. */
  boolean serving() {
    return !retired;
  }

  void send(byte[] packet) {
    connection.send(packet);
  }

  @Override
  public void onFrame(byte[] frame) {
    if (state == State.CLOSED || retired) {
      return; // kicked out or closing: nothing more of this connection is handled
    }
    if (mustWait()) {
      if (waiting == null) {
        waiting = new ArrayDeque<>(1);
      }
      waiting.add(frame);
      if (!readsPaused) {
        readsPaused = true;
        if (state != State.AUTHENTICATING) {
          handlers.metrics().readsPaused();
        }
        connection.pauseReads();
      }
      return;
    }
    handle(frame);
  }

  /**
   * Whether a frame must wait: too many requests in flight, earlier frames waiting, or a sign-in
   * being decided (what a client pipelines behind its sign-in runs once the decision is in).
   */
  private boolean mustWait() {
    return inFlight >= maxInFlight || hasWaiting() || state == State.AUTHENTICATING;
  }

  private boolean hasWaiting() {
    return waiting != null && !waiting.isEmpty();
  }

  /** Runs waiting frames while they may run; reads again once none is left. */
  void drainWaiting() {
    while (hasWaiting() && !retired && state != State.CLOSED) {
      if (inFlight >= maxInFlight || state == State.AUTHENTICATING) {
        return;
      }
      handle(waiting.poll());
    }
    if (!hasWaiting() && readsPaused && state != State.CLOSED) {
      readsPaused = false;
      connection.resumeReads();
    }
  }

  private void handle(byte[] frame) {
    Packet packet;
    try {
      packet = Packet.parseFrom(frame);
    } catch (InvalidProtocolBufferException e) {
      // No request_id to answer: the peer does not speak the protocol.
      log.debug("closing {}: undecodable packet ({})", connection.remoteAddress(), e.getMessage());
      close();
      return;
    }
    try {
      dispatch(packet, frame);
    } catch (InvalidProtocolBufferException e) {
      answered(packet, GimErrorCode.BAD_REQUEST.code());
      send(Packets.error(packet, GimErrorCode.BAD_REQUEST, "undecodable content"));
    } catch (GimException e) {
      answered(packet, e.code());
      send(Packets.failure(packet, e));
    } catch (RuntimeException e) {
      answered(packet, GimErrorCode.INTERNAL.code());
      // A bug, not the peer's fault: answer this request, keep the connection, say it loudly.
      log.error("{} failed for {}", packet.getCommand(), this, e);
      send(Packets.error(packet, GimErrorCode.INTERNAL, GimErrorCode.INTERNAL.defaultMessage()));
    }
  }

  private void dispatch(Packet packet, byte[] frame) throws InvalidProtocolBufferException {
    PacketCommand command = packet.getCommand();
    if (command == PacketCommand.PC_SIGN_IN) {
      handlers.signIn().begin(this, packet);
      return;
    }
    if (state != State.SIGNED_IN) {
      answered(packet, GimErrorCode.UNAUTHORIZED.code());
      send(Packets.error(packet, GimErrorCode.UNAUTHORIZED, "sign in first"));
      return;
    }
    switch (command) {
      case PC_HEARTBEAT -> heartbeat(frame);
      case PC_SUBSCRIBE_ROOM ->
          subscribe(packet, SubscribeRoomRequest.parseFrom(packet.getContent()));
      case PC_SYNC, PC_ACK, PC_SEND -> gate(packet);
      default -> {
        answered(packet, GimErrorCode.BAD_REQUEST.code());
        send(Packets.error(packet, GimErrorCode.BAD_REQUEST, "unknown command"));
      }
    }
  }

  /** A store-bound request: in flight from now, run when the gate admits this session. */
  private void gate(Packet packet) {
    inFlight++;
    if (gated == null) {
      gated = new ArrayDeque<>(1);
    }
    gated.add(packet);
    if (!awaitingGate && askGate()) {
      admitted();
    }
  }

  /** Asks the gate for a permit in the lane of the oldest gated request: true if granted now. */
  private boolean askGate() {
    awaitingGate = true;
    gateForSend = gated.peek().getCommand() == PacketCommand.PC_SEND;
    return handlers.gate().request(this, lane(gateForSend));
  }

  private static StoreGate.Lane lane(boolean send) {
    return send ? StoreGate.Lane.SEND : StoreGate.Lane.READ;
  }

  /**
   * This session holds a store permit in the lane of its oldest gated request: runs that request
   * with it, then asks for the next permit if more are waiting (behind every other waiting session
   * of that lane). On this connection's thread.
   */
  void admitted() {
    while (true) {
      awaitingGate = false;
      Packet packet = gated == null ? null : gated.poll();
      if (packet == null || state == State.CLOSED || retired) {
        if (gated != null) {
          gated.clear();
        }
        handlers.gate().release(lane(gateForSend)); // nothing to use it for: pass it on
        return;
      }
      run(packet, lane(gateForSend));
      if (gated.isEmpty()) {
        return;
      }
      if (!askGate()) {
        return; // queued: admitted() comes back when a permit frees up
      }
    }
  }

  /** Runs one admitted request; its permit is returned when the stores are done with it. */
  private void run(Packet packet, StoreGate.Lane lane) {
    CompletionStage<byte[]> reply;
    try {
      reply =
          switch (packet.getCommand()) {
            case PC_SYNC -> handlers.inbox().sync(this, packet);
            case PC_ACK -> handlers.inbox().ack(this, packet);
            default -> handlers.sender().send(this, packet);
          };
    } catch (InvalidProtocolBufferException e) {
      reply =
          CompletableFuture.failedFuture(
              new GimException(GimErrorCode.BAD_REQUEST, "undecodable content"));
    } catch (RuntimeException e) {
      reply = CompletableFuture.failedFuture(e);
    }
    reply.whenComplete(
        (bytes, failure) -> {
          handlers.gate().release(lane);
          connection.executor().execute(() -> finish(packet, bytes, failure));
        });
  }

  private void finish(Packet packet, byte[] reply, Throwable failure) {
    inFlight--;
    if (state == State.CLOSED || retired) {
      return;
    }
    answered(packet, failure == null ? 0 : GimException.from(failure).code());
    send(failure == null ? reply : Packets.failure(packet, failure));
    drainWaiting();
  }

  /**
   * Registers a store call that may be dropped if this connection closes before it starts (a read
   * or an ack, never an append); any thread. Returns {@code stage} for chaining.
   */
  <T> CompletionStage<T> cancelOnClose(CompletionStage<T> stage) {
    CompletableFuture<T> f = stage.toCompletableFuture();
    if (!f.isDone()) {
      Set<CompletableFuture<?>> calls = cancellableCalls();
      calls.add(f);
      f.whenComplete((v, e) -> calls.remove(f));
      if (closed) {
        f.cancel(false); // closed while the call was being made
      }
    }
    return stage;
  }

  /** The set of cancellable calls, created by whichever thread needs it first. */
  private Set<CompletableFuture<?>> cancellableCalls() {
    Set<CompletableFuture<?>> calls = cancellable;
    if (calls == null) {
      synchronized (this) {
        calls = cancellable;
        if (calls == null) {
          cancellable = calls = ConcurrentHashMap.newKeySet(2);
        }
      }
    }
    return calls;
  }

  // --- sign-in, driven by SignIn on this connection's thread

  /** Starts an authentication; false (with the reply sent) if one may not start now. */
  boolean startAuthentication(Packet packet) {
    if (state == State.NEW) {
      state = State.AUTHENTICATING;
      return true;
    }
    // Frames wait while a sign-in is decided, so the only other state seen here is SIGNED_IN.
    send(Packets.error(packet, GimErrorCode.BAD_REQUEST, "already signed in"));
    return false;
  }

  /** The provider refused: back to NEW (before the reply goes out), or closed after too many. */
  void refused(byte[] reply) {
    if (state != State.AUTHENTICATING) {
      return;
    }
    state = State.NEW;
    send(reply);
    if (++refusedSignIns >= handlers.config().maxSignInAttempts()) {
      close();
      return;
    }
    drainWaiting();
  }

  /** The provider accepted; false if the connection closed meanwhile (nothing bound then). */
  boolean signedIn(DeviceKey device) {
    if (state != State.AUTHENTICATING) {
      return false;
    }
    key = device;
    state = State.SIGNED_IN;
    cancelSignInTimer(); // a timer per signed-in connection would outlive its purpose by 30 s
    return true;
  }

  /**
   * Retires this session at once, from any thread: no more of its commands are handled, no push
   * reaches it; then, on its own thread, tells the peer why and closes.
   */
  void kickOut(int code, String message) {
    retired = true;
    connection
        .executor()
        .execute(
            () -> {
              leaveRoom();
              send(Packets.kickOut(code, message));
              close();
            });
  }

  /** Echoes the frame exactly as it arrived (no re-encoding), and refreshes the route. */
  private void heartbeat(byte[] frame) {
    handlers.metrics().request(PacketCommand.PC_HEARTBEAT, 0);
    send(frame);
    handlers.signIn().refreshRoute(this);
  }

  private void subscribe(Packet packet, SubscribeRoomRequest request) {
    moveToRoom(request.hasRoomId() ? request.getRoomId() : request.getLegacyRoomId());
    answered(packet, 0);
    send(Packets.ok(packet, ByteString.EMPTY));
  }

  /**
   * Moves this session to {@code room} (0 leaves) for the host, from any thread; fails with 10101
   * if the session is no longer served.
   */
  CompletionStage<Void> subscribeFromHost(long room) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    Runnable move =
        () -> {
          if (state != State.SIGNED_IN || retired) {
            done.completeExceptionally(
                new GimException(GimErrorCode.CONNECTION_NOT_FOUND, "device not connected"));
            return;
          }
          moveToRoom(room);
          done.complete(null);
        };
    try {
      connection.executor().execute(move);
    } catch (java.util.concurrent.RejectedExecutionException closing) {
      done.completeExceptionally(
          new GimException(GimErrorCode.CONNECTION_NOT_FOUND, "device not connected"));
    }
    return done;
  }

  /** Leaves the current room and joins {@code room} (0: none); on this connection's thread. */
  private void moveToRoom(long room) {
    if (room != roomId) {
      leaveRoom();
      roomId = room;
      if (room != 0) {
        handlers.rooms().join(room, this);
      }
    }
  }

  private void leaveRoom() {
    if (roomId != 0) {
      handlers.rooms().leave(roomId, this);
      roomId = 0;
    }
  }

  private void closeIfNotSignedIn() {
    if (state == State.NEW || state == State.AUTHENTICATING) {
      log.debug("closing {}: not signed in within the sign-in timeout", connection.remoteAddress());
      close();
    }
  }

  private void close() {
    connection.close();
  }

  private void cancelSignInTimer() {
    if (signInTimer != null) {
      signInTimer.cancel(false);
      signInTimer = null;
    }
  }

  /** Counts a request's reply (sign-ins are counted by their outcome instead). */
  private void answered(Packet packet, int code) {
    if (packet.getCommand() != PacketCommand.PC_SIGN_IN) {
      handlers.metrics().request(packet.getCommand(), code);
    }
  }

  @Override
  public void onSlowConsumer() {
    handlers.metrics().slowConsumer();
  }

  @Override
  public void onClosed() {
    handlers.metrics().connectionClosed(connection.transport());
    State was = state;
    state = State.CLOSED;
    closed = true;
    cancelSignInTimer();
    waiting = null;
    leaveRoom();
    // Reads of this connection that have not started are of no use to anyone now.
    Set<CompletableFuture<?>> calls = cancellable;
    if (calls != null) {
      for (CompletableFuture<?> f : List.copyOf(calls)) {
        f.cancel(false);
      }
    }
    if (was == State.SIGNED_IN) {
      handlers.signIn().signedOut(this);
    }
  }

  @Override
  public String toString() {
    return "Session[" + key + ", " + connection.remoteAddress() + "]";
  }
}
