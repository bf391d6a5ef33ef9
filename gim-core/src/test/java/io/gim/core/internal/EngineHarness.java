package io.gim.core.internal;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import io.gim.core.ListenSpec;
import io.gim.core.ServerConfig;
import io.gim.core.memory.InMemoryPresenceRegistry;
import io.gim.core.memory.InMemoryRoomBus;
import io.gim.core.memory.InMemoryStores;
import io.gim.protocol.Message;
import io.gim.protocol.Packet;
import io.gim.protocol.PacketCommand;
import io.gim.protocol.Reply;
import io.gim.protocol.SendRequest;
import io.gim.protocol.SignInRequest;
import io.gim.protocol.SubscribeRoomRequest;
import io.gim.spi.AuthProvider;
import io.gim.spi.AuthResult;
import io.gim.spi.SendPolicy;
import io.gim.spi.Stores;
import io.gim.spi.cluster.NodeLink;
import io.gim.spi.cluster.PresenceRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/**
 * An {@link Engine} on in-memory stores with {@link TestConnection}s: the whole engine, driven step
 * by step without sockets or threads. The default provider accepts the token "ok".
 */
final class EngineHarness {
  static final AuthProvider TOKEN_OK =
      (user, device, token) ->
          CompletableFuture.completedFuture(
              "ok".equals(token) ? AuthResult.allowed() : AuthResult.denied("bad token"));

  final Stores stores;
  final PresenceRegistry presence;
  final InMemoryRoomBus roomBus = new InMemoryRoomBus();
  final ServerConfig config;
  final Engine engine;
  private final List<TestConnection> connections = new ArrayList<>();

  EngineHarness() {
    this(TOKEN_OK, InMemoryStores.create(), c -> c);
  }

  EngineHarness(AuthProvider auth) {
    this(auth, InMemoryStores.create(), c -> c);
  }

  EngineHarness(AuthProvider auth, Stores stores, UnaryOperator<Settings> settings) {
    this(auth, stores, settings, new InMemoryPresenceRegistry(), null);
  }

  /**
   * One node of an in-JVM cluster: its node id in {@code settings}, the presence registry shared
   * with the other nodes, and its link (e.g. from an {@code InMemoryNodeLink.Hub}).
   */
  EngineHarness(
      AuthProvider auth,
      Stores stores,
      UnaryOperator<Settings> settings,
      PresenceRegistry presence,
      NodeLink link) {
    this.stores = stores;
    this.presence = presence;
    Settings chosen = settings.apply(new Settings());
    this.config = chosen.toConfig();
    this.engine =
        new Engine(
            config,
            new Engine.Collaborators(
                auth,
                SendPolicy.ALLOW_ALL,
                stores,
                presence,
                roomBus,
                link,
                chosen.clock,
                chosen.meterRegistry));
    engine.start().join();
  }

  /** The few settings the tests change; everything else is the server's default. */
  static final class Settings {
    int maxRequestsInFlight = 256;
    int maxFrameBytes = 1024 * 1024;
    int maxSignInAttempts = 3;
    int maxStoreRequestsInFlight = 64;
    int maxStoreSendsInFlight = 1024;
    Duration nodeTtl = Duration.ofSeconds(30);
    String nodeId = "test-node";
    Clock clock = Clock.systemUTC();
    MeterRegistry meterRegistry;

    Settings meterRegistry(MeterRegistry registry) {
      meterRegistry = registry;
      return this;
    }

    Settings clock(Clock c) {
      clock = c;
      return this;
    }

    Settings maxFrameBytes(int n) {
      maxFrameBytes = n;
      return this;
    }

    Settings maxRequestsInFlight(int n) {
      maxRequestsInFlight = n;
      return this;
    }

    Settings maxStoreRequestsInFlight(int n) {
      maxStoreRequestsInFlight = n;
      return this;
    }

    Settings maxStoreSendsInFlight(int n) {
      maxStoreSendsInFlight = n;
      return this;
    }

    Settings nodeId(String id) {
      nodeId = id;
      return this;
    }

    Settings nodeTtl(Duration ttl) {
      nodeTtl = ttl;
      return this;
    }

    ServerConfig toConfig() {
      return new ServerConfig(
          nodeId,
          List.<ListenSpec>of(),
          maxFrameBytes,
          Duration.ofMinutes(12),
          Duration.ofSeconds(30),
          maxSignInAttempts,
          50,
          500,
          Duration.ofHours(24),
          512 * 1024,
          1024 * 1024,
          4 * 1024 * 1024,
          Duration.ofSeconds(10),
          Duration.ofMinutes(13),
          nodeTtl,
          0,
          maxRequestsInFlight,
          maxStoreRequestsInFlight,
          maxStoreSendsInFlight);
    }
  }

  /** A new connection, accepted by the engine. */
  Client connect() {
    return accept(new TestConnection());
  }

  /** A new connection on the same thread as {@code other}'s, as if on one event loop. */
  Client connectOnThreadOf(Client other) {
    return accept(new TestConnection(other.connection));
  }

  private Client accept(TestConnection connection) {
    connection.attach(engine.accept(connection));
    connections.add(connection);
    return new Client(connection);
  }

  /** Runs every connection's queued work until all are idle. */
  void runAll() {
    boolean ran;
    do {
      ran = false;
      for (TestConnection c : List.copyOf(connections)) {
        ran |= c.runPending();
      }
    } while (ran);
  }

  /** One peer: writes requests, reads what the engine sent it. */
  final class Client {
    final TestConnection connection;
    private final List<Packet> received = new ArrayList<>();
    private int nextRequest;

    Client(TestConnection connection) {
      this.connection = connection;
    }

    /** Writes a request without running anything; returns its request_id. */
    String write(PacketCommand command, MessageLite content) {
      String id = "r" + ++nextRequest;
      connection.receive(
          Packet.newBuilder()
              .setRequestId(id)
              .setCommand(command)
              .setContent(content == null ? ByteString.EMPTY : content.toByteString())
              .build());
      return id;
    }

    /** Writes a request, runs the engine until idle, and returns its reply. */
    Reply call(PacketCommand command, MessageLite content) {
      String id = write(command, content);
      runAll();
      return reply(id);
    }

    /** Subscribes to {@code room} and asserts the reply's code 0. */
    void subscribeRoom(long room) {
      Reply reply =
          call(
              PacketCommand.PC_SUBSCRIBE_ROOM,
              SubscribeRoomRequest.newBuilder().setRoomId(room).build());
      if (reply.getCode() != 0) {
        throw new AssertionError("subscribe to room " + room + ": code " + reply.getCode());
      }
    }

    Reply signIn(long user, long device) {
      return signIn(user, device, "ok");
    }

    Reply signIn(long user, long device, String token) {
      return call(
          PacketCommand.PC_SIGN_IN,
          SignInRequest.newBuilder().setUserId(user).setDeviceId(device).setToken(token).build());
    }

    Reply sendTo(long user, String text) {
      return call(
          PacketCommand.PC_SEND,
          SendRequest.newBuilder()
              .setToUserId(user)
              .setContent(ByteString.copyFromUtf8(text))
              .build());
    }

    /** The reply to {@code requestId}, or null if none came. */
    Reply reply(String requestId) {
      drain();
      for (Packet p : received) {
        if (p.getRequestId().equals(requestId) && p.getCommand() != PacketCommand.PC_MESSAGE) {
          return parse(p);
        }
      }
      return null;
    }

    /** Every packet received so far. */
    List<Packet> packets() {
      drain();
      return List.copyOf(received);
    }

    /** The messages pushed to this connection so far. */
    List<Message> pushes() {
      return packets().stream()
          .filter(p -> p.getCommand() == PacketCommand.PC_MESSAGE)
          .map(p -> parseMessage(p.getContent()))
          .toList();
    }

    boolean isOpen() {
      return connection.isOpen();
    }

    private void drain() {
      received.addAll(connection.takeSent());
    }
  }

  static Reply parse(Packet p) {
    try {
      return Reply.parseFrom(p.getContent());
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  static Message parseMessage(ByteString bytes) {
    try {
      return Message.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }
}
