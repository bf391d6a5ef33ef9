package io.gim.core.internal;

import com.google.protobuf.ByteString;
import io.gim.core.ServerConfig;
import io.gim.core.transport.Connection;
import io.gim.core.transport.ConnectionHandler;
import io.gim.protocol.Packet;
import io.gim.spi.AuthProvider;
import io.gim.spi.GimErrorCode;
import io.gim.spi.GimException;
import io.gim.spi.SendPolicy;
import io.gim.spi.Stores;
import io.gim.spi.cluster.PresenceRegistry;
import io.gim.spi.cluster.RoomBus;
import io.gim.spi.cluster.Route;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine behind a {@code GimServer}: sessions, rooms, and the command handlers. Internal: may
 * change at any time. Thread-safe; owns no threads (work continues on transport and store threads).
 */
public final class Engine {
  private static final Logger log = LoggerFactory.getLogger(Engine.class);

  private final ServerConfig config;
  private final AuthProvider auth;
  private final SendPolicy sendPolicy;
  private final Stores stores;
  private final PresenceRegistry presence;
  private final RoomBus roomBus;
  private final Clock clock;
  private final SessionRegistry sessions = new SessionRegistry();
  private final RoomRegistry rooms = new RoomRegistry();
  private final Delivery delivery = new Delivery(sessions, rooms);
  private final Inbox inbox;
  private final Sender sender;
  private final HostMessages hostMessages;
  private RoomBus.Subscription busSubscription;

  /** Creates an engine; {@link #start()} subscribes it to the room bus. */
  public Engine(ServerConfig config, Collaborators with) {
    this.config = config;
    this.auth = with.auth();
    this.sendPolicy = with.sendPolicy();
    this.stores = with.stores();
    this.presence = with.presence();
    this.roomBus = with.roomBus();
    this.clock = with.clock();
    this.inbox = new Inbox(this);
    this.sender = new Sender(this);
    this.hostMessages = new HostMessages(this);
  }

  /** What an engine works with, all supplied by the host or defaulted by the server builder. */
  public record Collaborators(
      AuthProvider auth,
      SendPolicy sendPolicy,
      Stores stores,
      PresenceRegistry presence,
      RoomBus roomBus,
      Clock clock) {}

  /** Subscribes to the room bus; completes when the subscription is live. */
  public CompletableFuture<Void> start() {
    return roomBus
        .subscribe(delivery::onRoomEvent)
        .thenAccept(
            subscription -> {
              synchronized (this) {
                busSubscription = subscription;
              }
            })
        .toCompletableFuture();
  }

  /** Unsubscribes from the room bus; idempotent. Connections are closed by the transport. */
  public synchronized void stop() {
    if (busSubscription != null) {
      busSubscription.close();
      busSubscription = null;
    }
  }

  /** The transport's acceptor: one session per connection. */
  public ConnectionHandler accept(Connection connection) {
    return new Session(this, connection);
  }

  /** The host API for sending. */
  public HostMessages messages() {
    return hostMessages;
  }

  /** Signed-in connections on this node. */
  public int sessionCount() {
    return sessions.size();
  }

  /** Rooms with at least one subscriber on this node. */
  public int roomCount() {
    return rooms.roomCount();
  }

  ServerConfig config() {
    return config;
  }

  /**
   * The largest message content accepted, and the byte budget of a sync page: a frame minus 1 KiB
   * for the packet, reply and push headers around it, so that whatever is stored can be sent.
   */
  int maxContentBytes() {
    return config.maxFrameBytes() - 1024;
  }

  /** Fails with 10001 when {@code content} could not travel in one frame once wrapped. */
  void checkContentSize(byte[] content) {
    if (content.length > maxContentBytes()) {
      throw new GimException(
          GimErrorCode.BAD_REQUEST,
          "content: "
              + content.length
              + " bytes (expected: <= "
              + maxContentBytes()
              + ", the frame limit less 1 KiB)");
    }
  }

  AuthProvider auth() {
    return auth;
  }

  SendPolicy sendPolicy() {
    return sendPolicy;
  }

  Stores stores() {
    return stores;
  }

  PresenceRegistry presence() {
    return presence;
  }

  RoomBus roomBus() {
    return roomBus;
  }

  Clock clock() {
    return clock;
  }

  SessionRegistry sessions() {
    return sessions;
  }

  RoomRegistry rooms() {
    return rooms;
  }

  Delivery delivery() {
    return delivery;
  }

  Inbox inbox() {
    return inbox;
  }

  Sender sender() {
    return sender;
  }

  void registerRoute(Route route) {
    presence
        .register(route, config.presenceTtl())
        .whenComplete((ok, failure) -> logFailure("presence register", failure));
  }

  void unregisterRoute(Route route) {
    presence
        .unregister(route)
        .whenComplete((ok, failure) -> logFailure("presence unregister", failure));
  }

  private static void logFailure(String what, Throwable failure) {
    if (failure != null) {
      log.warn("{} failed", what, failure);
    }
  }

  /** Answers a request whose work failed, with the failure's wire code. */
  void replyFailure(Session session, Packet packet, Throwable failure) {
    GimException e = GimException.from(failure);
    if (e.errorCode() == GimErrorCode.INTERNAL) {
      log.error("{} failed for {}", packet.getCommand(), session, failure);
    }
    session.send(Packets.reply(packet, e.code(), e.getMessage(), ByteString.EMPTY));
  }
}
