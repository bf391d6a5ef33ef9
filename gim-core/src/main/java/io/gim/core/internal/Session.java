package io.gim.core.internal;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.gim.core.transport.Connection;
import io.gim.core.transport.ConnectionHandler;
import io.gim.protocol.Packet;
import io.gim.protocol.PacketCommand;
import io.gim.protocol.SignInRequest;
import io.gim.protocol.SubscribeRoomRequest;
import io.gim.spi.AuthResult;
import io.gim.spi.DeviceKey;
import io.gim.spi.GimErrorCode;
import io.gim.spi.GimException;
import io.gim.spi.cluster.Route;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection's state: sign-in, room, and the dispatch of its packets.
 *
 * <p>Frames arrive on the connection's thread, one at a time. Fields that a store callback also
 * touches are volatile; the sign-in state moves only forward (NEW → AUTHENTICATING → SIGNED_IN),
 * with CLOSED reachable from any state.
 */
final class Session implements ConnectionHandler {
  private static final Logger log = LoggerFactory.getLogger(Session.class);

  enum State {
    NEW,
    AUTHENTICATING,
    SIGNED_IN,
    CLOSED
  }

  private final Engine engine;
  private final Connection connection;
  private final AtomicInteger refusedSignIns = new AtomicInteger();
  private volatile State state = State.NEW;
  private volatile long userId;
  private volatile long deviceId;
  private volatile long roomId;

  Session(Engine engine, Connection connection) {
    this.engine = engine;
    this.connection = connection;
    connection.schedule(engine.config().signInTimeout(), this::closeIfNotSignedIn);
  }

  long userId() {
    return userId;
  }

  long deviceId() {
    return deviceId;
  }

  DeviceKey key() {
    return DeviceKey.of(userId, deviceId);
  }

  Connection connection() {
    return connection;
  }

  Route route() {
    return new Route(userId, deviceId, engine.config().nodeId(), connection.id());
  }

  void send(byte[] packet) {
    connection.send(packet);
  }

  @Override
  public void onFrame(byte[] frame) {
    Packet packet;
    try {
      packet = Packet.parseFrom(frame);
    } catch (InvalidProtocolBufferException e) {
      // No request_id to answer: the peer does not speak the protocol.
      log.debug("closing {}: undecodable packet ({})", connection.remoteAddress(), e.getMessage());
      connection.close();
      return;
    }
    try {
      dispatch(packet);
    } catch (InvalidProtocolBufferException e) {
      send(
          Packets.error(
              packet, GimErrorCode.BAD_REQUEST, "undecodable content: " + e.getMessage()));
    } catch (GimException e) {
      send(Packets.reply(packet, e.code(), e.getMessage(), ByteString.EMPTY));
    } catch (RuntimeException e) {
      // A bug, not the peer's fault: answer this request, keep the connection, say it loudly.
      log.error("{} failed for {}", packet.getCommand(), this, e);
      send(Packets.error(packet, GimErrorCode.INTERNAL, GimErrorCode.INTERNAL.defaultMessage()));
    }
  }

  private void dispatch(Packet packet) throws InvalidProtocolBufferException {
    PacketCommand command = packet.getCommand();
    if (command == PacketCommand.PC_SIGN_IN) {
      signIn(packet, SignInRequest.parseFrom(packet.getContent()));
      return;
    }
    if (state != State.SIGNED_IN) {
      send(Packets.error(packet, GimErrorCode.UNAUTHORIZED, "sign in first"));
      return;
    }
    switch (command) {
      case PC_HEARTBEAT -> heartbeat(packet);
      case PC_SUBSCRIBE_ROOM ->
          subscribe(packet, SubscribeRoomRequest.parseFrom(packet.getContent()));
      case PC_SYNC -> engine.inbox().sync(this, packet);
      case PC_ACK -> engine.inbox().ack(this, packet);
      case PC_SEND -> engine.sender().send(this, packet);
      default ->
          send(
              Packets.error(
                  packet, GimErrorCode.BAD_REQUEST, "unknown command " + packet.getCommandValue()));
    }
  }

  private void signIn(Packet packet, SignInRequest request) {
    if (state != State.NEW) {
      String why = state == State.SIGNED_IN ? "already signed in" : "sign-in in progress";
      send(Packets.error(packet, GimErrorCode.BAD_REQUEST, why));
      return;
    }
    state = State.AUTHENTICATING;
    long user = request.getUserId();
    long device = request.getDeviceId();
    engine
        .auth()
        .authenticate(user, device, request.getToken())
        .whenComplete(
            (result, failure) -> {
              AuthResult r = failure == null ? result : denial(failure);
              if (r instanceof AuthResult.Denied denied) {
                refuse(packet, denied);
              } else if (r != null) {
                accept(packet, user, device);
              } else {
                refuse(packet, (AuthResult.Denied) AuthResult.denied("no decision"));
              }
            });
  }

  private static AuthResult denial(Throwable failure) {
    GimException e = GimException.from(failure);
    if (e.errorCode() == GimErrorCode.INTERNAL) {
      log.warn("AuthProvider failed", failure);
    }
    return AuthResult.denied(e.code(), e.getMessage());
  }

  private void refuse(Packet packet, AuthResult.Denied denied) {
    send(Packets.reply(packet, denied.code(), denied.message(), ByteString.EMPTY));
    if (refusedSignIns.incrementAndGet() >= engine.config().maxSignInAttempts()) {
      connection.close();
      return;
    }
    synchronized (this) {
      if (state == State.AUTHENTICATING) {
        state = State.NEW;
      }
    }
  }

  private void accept(Packet packet, long user, long device) {
    synchronized (this) {
      if (state != State.AUTHENTICATING) {
        return; // closed while the provider was deciding
      }
      userId = user;
      deviceId = device;
      state = State.SIGNED_IN;
    }
    Session displaced = engine.sessions().bind(this);
    if (displaced != null) {
      displaced.kickOut(GimErrorCode.SIGNED_IN_ELSEWHERE.code(), "signed in elsewhere");
    }
    if (state == State.CLOSED) {
      engine.sessions().unbind(this); // closed between the check above and bind
      return;
    }
    engine.registerRoute(route());
    send(Packets.ok(packet, ByteString.EMPTY));
  }

  /** Tells the peer why, then closes; the session leaves every registry on close. */
  void kickOut(int code, String message) {
    send(Packets.kickOut(code, message));
    connection.close();
  }

  private void heartbeat(Packet packet) {
    send(packet.toByteArray());
    engine.registerRoute(route());
  }

  private void subscribe(Packet packet, SubscribeRoomRequest request) {
    long room = request.hasRoomId() ? request.getRoomId() : request.getLegacyRoomId();
    long previous = roomId;
    if (previous != room) {
      if (previous != 0) {
        engine.rooms().leave(previous, this);
      }
      roomId = room;
      if (room != 0) {
        engine.rooms().join(room, this);
      }
    }
    send(Packets.ok(packet, ByteString.EMPTY));
  }

  private void closeIfNotSignedIn() {
    if (state != State.SIGNED_IN && state != State.CLOSED) {
      log.debug("closing {}: not signed in within the sign-in timeout", connection.remoteAddress());
      connection.close();
    }
  }

  @Override
  public void onClosed() {
    State was;
    synchronized (this) {
      was = state;
      state = State.CLOSED;
    }
    long room = roomId;
    if (room != 0) {
      engine.rooms().leave(room, this);
    }
    if (was == State.SIGNED_IN) {
      engine.sessions().unbind(this);
      engine.unregisterRoute(route());
    }
  }

  @Override
  public String toString() {
    return "Session[user="
        + userId
        + ", device="
        + deviceId
        + ", "
        + connection.remoteAddress()
        + "]";
  }
}
