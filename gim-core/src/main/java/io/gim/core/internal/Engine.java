package io.gim.core.internal;

import io.gim.core.Devices;
import io.gim.core.Inboxes;
import io.gim.core.ServerConfig;
import io.gim.core.memory.InMemoryPresenceRegistry;
import io.gim.core.transport.Connection;
import io.gim.core.transport.ConnectionHandler;
import io.gim.spi.AuthProvider;
import io.gim.spi.DeviceKey;
import io.gim.spi.GimErrorCode;
import io.gim.spi.SendPolicy;
import io.gim.spi.Stores;
import io.gim.spi.cluster.NodeLink;
import io.gim.spi.cluster.PresenceRegistry;
import io.gim.spi.cluster.RoomBus;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The engine behind a {@code GimServer}: wires sign-in, inbox, send and delivery together and hands
 * each new connection a {@link Session}. Internal: may change at any time. Thread-safe; owns no
 * threads (work continues on transport and store threads) but the node heartbeat's, and that only
 * with a shared presence registry.
 */
public final class Engine {
  /** Room for the packet, reply and push headers around a message's content in one frame. */
  static final int FRAME_OVERHEAD_BYTES = 1024;

  private final RoomBus roomBus;
  private final SessionRegistry sessions = new SessionRegistry();
  private final RoomRegistry rooms = new RoomRegistry();
  private final EngineMetrics metrics;
  private final Delivery delivery;
  private final Session.Handlers handlers;
  private final HostMessages hostMessages;
  private final HostInboxes hostInboxes;
  private final HostDevices hostDevices;
  private final NodeHeartbeat heartbeat;
  private final SignIn signIn;
  private final NodeLink nodeLink;
  private RoomBus.Subscription busSubscription;

  /** Creates an engine; {@link #start()} subscribes it to the room bus. */
  public Engine(ServerConfig config, Collaborators with) {
    this.roomBus = with.roomBus();
    this.metrics = EngineMetrics.of(with.meterRegistry());
    metrics.gauges(sessions::size, rooms::roomCount);
    this.delivery = new Delivery(sessions, rooms, metrics);
    // Every message store call is timed, whatever the store (gim.store.calls).
    Stores stores =
        Stores.of(
            TimedMessageStore.of(with.stores().messages(), metrics.registry()),
            with.stores().groups(),
            with.stores().devices());
    int maxContent = config.maxFrameBytes() - FRAME_OVERHEAD_BYTES;
    Sender.Limits limits = new Sender.Limits(maxContent, config.dedupeWindow(), with.clock());
    this.signIn =
        new SignIn(
            with.auth(), sessions, with.presence(), config.nodeId(), config.presenceTtl(), metrics);
    Inbox inbox =
        new Inbox(
            stores.messages(),
            config.syncDefaultLimit(),
            config.syncMaxLimit(),
            maxContent,
            metrics);
    Sender sender = new Sender(with.sendPolicy(), stores, roomBus, delivery, limits, metrics);
    StoreGate gate =
        new StoreGate(config.maxStoreSendsInFlight(), config.maxStoreRequestsInFlight());
    this.handlers = new Session.Handlers(config, signIn, inbox, sender, rooms, gate, metrics);
    this.nodeLink = with.nodeLink();
    this.hostInboxes = new HostInboxes(inbox);
    this.hostDevices = new HostDevices(stores, with.presence(), sessions, config.nodeId());
    if (nodeLink != null) {
      hostDevices.reachOtherNodes(nodeLink);
      delivery.reachOtherNodes(new RemoteDelivery(with.presence(), nodeLink, config.nodeId()));
      signIn.reachOtherNodes(nodeLink);
    }
    // One node's own registry needs no liveness; a shared one (Redis) does.
    this.heartbeat =
        with.presence() instanceof InMemoryPresenceRegistry
            ? null
            : new NodeHeartbeat(
                with.presence(),
                config.nodeId(),
                config.nodeTtl(),
                () -> registerRoutesAgain(signIn));
    this.hostMessages = new HostMessages(stores, roomBus, delivery, limits, metrics);
  }

  /** What an engine works with, all supplied by the host or defaulted by the server builder. */
  public record Collaborators(
      AuthProvider auth,
      SendPolicy sendPolicy,
      Stores stores,
      PresenceRegistry presence,
      RoomBus roomBus,
      NodeLink nodeLink,
      Clock clock,
      MeterRegistry meterRegistry) {}

  /** Each signed-in session registers its route again, on its own thread. */
  private void registerRoutesAgain(SignIn signIn) {
    sessions.forEach(s -> s.connection().executor().execute(() -> signIn.refreshRoute(s)));
  }

  /**
   * Subscribes to the room bus and starts the node heartbeat; completes when the subscription is
   * live.
   */
  public CompletableFuture<Void> start() {
    if (heartbeat != null) {
      heartbeat.start();
    }
    CompletableFuture<Void> serving =
        nodeLink == null
            ? CompletableFuture.completedFuture(null)
            : nodeLink.serve(new FromOtherNodes()).toCompletableFuture();
    return serving.thenCompose(ignored -> subscribe());
  }

  /** Calls of other nodes through the link: pushes to devices here, kicks of devices here. */
  private final class FromOtherNodes implements NodeLink.Receiver {
    @Override
    public void deliver(List<NodeLink.DeviceMessage> messages) {
      delivery.fromOtherNode(messages);
    }

    @Override
    public void kick(DeviceKey device, long connectionId) {
      Session s = sessions.get(device);
      if (s != null && s.connection().id() == connectionId) {
        s.kickOut(
            GimErrorCode.SIGNED_IN_ELSEWHERE.code(),
            GimErrorCode.SIGNED_IN_ELSEWHERE.defaultMessage());
      }
    }
  }

  private CompletableFuture<Void> subscribe() {
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
    if (heartbeat != null) {
      heartbeat.stop();
    }
    // The transport has closed every connection: let their routes leave the registry first.
    signIn.awaitUnregisters(Duration.ofSeconds(3));
    if (nodeLink != null) {
      nodeLink.close();
    }
    if (busSubscription != null) {
      busSubscription.close();
      busSubscription = null;
    }
  }

  /** The transport's acceptor: one session per connection, created on the connection's thread. */
  public ConnectionHandler accept(Connection connection) {
    return new Session(connection, handlers);
  }

  /** The host API for sending. */
  public HostMessages messages() {
    return hostMessages;
  }

  /** The host API for reading inboxes and moving acks. */
  public Inboxes inboxes() {
    return hostInboxes;
  }

  /** The host API for device records, presence and this node's connections. */
  public Devices devices() {
    return hostDevices;
  }

  /** Signed-in connections on this node. */
  public int sessionCount() {
    return sessions.size();
  }

  /** Rooms with at least one subscriber on this node. */
  public int roomCount() {
    return rooms.roomCount();
  }
}
