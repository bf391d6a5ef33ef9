package io.gim.client.internal;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.gim.client.GimClientException;
import io.gim.client.InboxCursor;
import io.gim.client.MessageListener;
import io.gim.client.ReceivedMessage;
import io.gim.protocol.Message;
import io.gim.protocol.MessageACKRequest;
import io.gim.protocol.Packet;
import io.gim.protocol.PacketCommand;
import io.gim.protocol.Reply;
import io.gim.protocol.SignInRequest;
import io.gim.protocol.SubscribeRoomRequest;
import io.gim.protocol.SyncReply;
import io.gim.protocol.SyncRequest;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's connection lifecycle: connect, sign in, sync, heartbeat, reconnect, requests and
 * delivery. Public methods are thread-safe and never block; all state lives on one event loop, on
 * which every channel of this client is registered and every listener call is made.
 */
public final class ClientEngine {

  /** How many delivered message ids are remembered for deduplication after an epoch change. */
  private static final int DEDUPE_CAPACITY = 10_000;

  private static final Logger log = LoggerFactory.getLogger(ClientEngine.class);

  private final ClientConfig config;
  private final MessageListener listener;
  private final EventLoop loop;

  /** One per server of {@code config.servers()}, at the same index. */
  private final List<Bootstrap> bootstraps;

  private final ServerRotation rotation;
  private final Backoff backoff;
  private final PendingRequests pending;
  private final InboxSequencer sequencer;
  private final AckCoalescer acks = new AckCoalescer(this::sendAck);

  // Confined to loop.
  private Channel channel;
  private Server channelServer;
  private ChannelFuture connectAttempt;
  private final List<Throwable> connectFailures = new ArrayList<>();
  private final List<Server> connectFailedServers = new ArrayList<>();
  private Throwable closeCause;
  private boolean signedIn;
  private CompletableFuture<Void> connectFuture;
  private boolean established;
  private boolean halted;
  private boolean closed;
  private long roomId;
  private ScheduledFuture<?> heartbeatTask;
  private ScheduledFuture<?> reconnectTask;

  // Read from any thread.
  private volatile boolean connected;
  private volatile Server connectedServer;
  private volatile InboxCursor cursor;
  private volatile boolean closeRequested;

  /**
   * @param ssl for wss:// URIs, else {@code null}
   */
  public ClientEngine(
      ClientConfig config, MessageListener listener, EventLoop loop, SslContext ssl) {
    this.config = config;
    this.listener = listener;
    this.loop = loop;
    this.backoff =
        config.reconnects()
            ? new Backoff(
                config.initialBackoff(),
                config.maxBackoff(),
                () -> ThreadLocalRandom.current().nextDouble())
            : null;
    this.pending = new PendingRequests(loop, config.requestTimeout());
    this.sequencer =
        new InboxSequencer(
            config.initialSeq(), config.initialEpoch(), DEDUPE_CAPACITY, new Delivery());
    publishCursor();
    this.rotation = new ServerRotation(config.servers().size(), config.firstServer());
    Bootstrap common =
        new Bootstrap()
            .group(loop) // one loop for every connection keeps all state single-threaded
            .channel(NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(
                ChannelOption.CONNECT_TIMEOUT_MILLIS,
                (int) Math.min(Integer.MAX_VALUE, config.requestTimeout().toMillis()));
    List<Bootstrap> perServer = new ArrayList<>();
    for (Server server : config.servers()) {
      perServer.add(
          common
              .clone()
              .remoteAddress(server.address())
              .handler(
                  new ClientChannelInitializer(
                      config, server, ssl, () -> new ClientHandler(this, config.webSocket()))));
    }
    this.bootstraps = List.copyOf(perServer);
  }

  public boolean isConnected() {
    return connected;
  }

  /** The server of the signed-in, synced connection, if any. */
  public Optional<Server> connectedServer() {
    return Optional.ofNullable(connectedServer);
  }

  public InboxCursor cursor() {
    return cursor;
  }

  public boolean inEventLoop() {
    return loop.inEventLoop();
  }

  /** Connects unless connecting or connected; completes after sign-in and the first sync. */
  public CompletableFuture<Void> connect() {
    CompletableFuture<Void> result = new CompletableFuture<>();
    runOnLoop(
        result,
        () -> {
          if (closed) {
            result.completeExceptionally(
                new GimClientException(GimClientException.CLIENT_CLOSED, "client is closed"));
            return;
          }
          if (connectFuture == null || (halted && channel == null)) {
            halted = false;
            established = false;
            rotation.restart();
            connectFailures.clear();
            connectFailedServers.clear();
            connectFuture = new CompletableFuture<>();
            cancel(reconnectTask);
            openChannel();
          }
          connectFuture.whenComplete((ignored, error) -> complete(result, null, error));
        });
    return result;
  }

  /**
   * Sends a request and completes with the reply's data, or fails with {@link GimClientException}.
   */
  public CompletableFuture<ByteString> request(PacketCommand command, ByteString content) {
    CompletableFuture<ByteString> result = new CompletableFuture<>();
    runOnLoop(
        result,
        () -> {
          if (channel == null || !signedIn) {
            result.completeExceptionally(
                new GimClientException(GimClientException.NOT_CONNECTED, "not signed in"));
            return;
          }
          send(channel, command, content)
              .whenComplete((reply, error) -> complete(result, reply, error));
        });
    return result;
  }

  /** Subscribes to a room (0 leaves) now and again after every reconnect. */
  public CompletableFuture<Void> subscribeRoom(long room) {
    CompletableFuture<Void> result = new CompletableFuture<>();
    runOnLoop(
        result,
        () -> {
          roomId = room;
          request(PacketCommand.PC_SUBSCRIBE_ROOM, subscribeContent(room))
              .whenComplete((ignored, error) -> complete(result, null, error));
        });
    return result;
  }

  /**
   * Stops reconnecting and closes the connection; completes when the channel is closed. Idempotent.
   */
  public CompletableFuture<Void> close() {
    closeRequested = true;
    CompletableFuture<Void> result = new CompletableFuture<>();
    try {
      loop.execute(
          () -> {
            closed = true;
            cancel(reconnectTask);
            if (connectFuture != null && !connectFuture.isDone()) {
              connectFuture.completeExceptionally(
                  new GimClientException(
                      GimClientException.CLIENT_CLOSED, "client closed while connecting"));
            }
            if (channel == null) {
              result.complete(null);
            } else {
              channel.close().addListener(f -> result.complete(null));
            }
          });
    } catch (RejectedExecutionException alreadyShutDown) {
      result.complete(null);
    }
    return result;
  }

  // ---- connection lifecycle, all on loop ----

  private void openChannel() {
    closeCause = null;
    int index = rotation.current();
    channelServer = config.servers().get(index);
    ChannelFuture connecting = bootstraps.get(index).connect();
    Channel ch = connecting.channel();
    channel = ch;
    connectAttempt = connecting;
    connecting.addListener(
        f -> {
          if (!f.isSuccess() && ch == channel) {
            closeCause = f.cause();
          }
        });
    // A failed connect closes the channel too, so this one listener sees every ending.
    ch.closeFuture().addListener(f -> onChannelClosed(ch));
  }

  void onTransportReady(Channel ch) {
    if (ch != channel) {
      return;
    }
    SignInRequest signIn =
        SignInRequest.newBuilder()
            .setUserId(config.userId())
            .setDeviceId(config.deviceId())
            .setToken(config.token())
            .build();
    send(ch, PacketCommand.PC_SIGN_IN, signIn.toByteString())
        .whenComplete((ignored, error) -> onSignInAnswered(ch, error));
  }

  private void onSignInAnswered(Channel ch, Throwable failure) {
    if (ch != channel) {
      return;
    }
    // send() composes futures, so a refusal arrives wrapped; unwrapped, it is recognised below.
    Throwable error =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (error instanceof GimClientException refused && refused.fromServer()) {
      // A refusal will not get better by retrying with the same token.
      log.warn(
          "Sign-in of user {} device {} refused: {}",
          config.userId(),
          config.deviceId(),
          refused.getMessage());
      halted = true;
      closeCause = refused;
      if (established) {
        notifyListener(() -> listener.onDisconnected(refused));
      } else {
        connectFuture.completeExceptionally(refused);
      }
      ch.close();
      return;
    }
    if (error != null) {
      closeCause = error;
      ch.close();
      return;
    }
    signedIn = true;
    long interval = config.heartbeatInterval().toNanos();
    heartbeatTask =
        loop.scheduleAtFixedRate(() -> heartbeat(ch), interval, interval, TimeUnit.NANOSECONDS);
    if (roomId != 0) {
      long room = roomId;
      send(ch, PacketCommand.PC_SUBSCRIBE_ROOM, subscribeContent(room))
          .whenComplete(
              (ignored, e) -> {
                if (e != null) {
                  log.warn("Resubscribing room {} failed", room, e);
                }
              });
    }
    sequencer.onSignedIn();
  }

  private void heartbeat(Channel ch) {
    send(ch, PacketCommand.PC_HEARTBEAT, ByteString.EMPTY)
        .whenComplete(
            (ignored, error) -> {
              if (error != null && ch == channel) {
                log.info("Heartbeat failed, dropping the connection: {}", error.getMessage());
                closeCause = error;
                ch.close();
              }
            });
  }

  void onPacket(Channel ch, Packet packet) {
    if (ch != channel) {
      return;
    }
    try {
      switch (packet.getCommand()) {
        case PC_MESSAGE -> {
          if (signedIn) {
            sequencer.onPush(Message.parseFrom(packet.getContent()));
            publishCursor();
          }
        }
        case PC_KICK_OUT -> onKickedOut(ch, Reply.parseFrom(packet.getContent()));
        default -> {
          if (!pending.complete(packet)) {
            log.debug("Dropping an unsolicited {} packet", packet.getCommand());
          }
        }
      }
    } catch (InvalidProtocolBufferException e) {
      onChannelError(ch, e);
      ch.close();
    }
  }

  private void onKickedOut(Channel ch, Reply reason) {
    log.warn("Kicked out by the server: [{}] {}", reason.getCode(), reason.getMessage());
    halted = true;
    closeCause = new GimClientException(reason.getCode(), "kicked out: " + reason.getMessage());
    notifyListener(() -> listener.onKickedOut(reason.getCode(), reason.getMessage()));
    ch.close();
  }

  void onChannelError(Channel ch, Throwable cause) {
    if (ch == channel) {
      log.warn("Connection error, closing: {}", cause.toString());
      closeCause = cause;
    }
  }

  private void onChannelClosed(Channel ch) {
    if (ch != channel) {
      return;
    }
    ChannelFuture pendingConnect = connectAttempt;
    if (pendingConnect != null && pendingConnect.channel() == ch && !pendingConnect.isDone()) {
      // A refused connect may close the channel before failing its promise: wait for the
      // promise, so the caller learns the real cause (e.g. connection refused).
      pendingConnect.addListener(f -> onChannelClosed(ch));
      return;
    }
    if (closeCause == null
        && pendingConnect != null
        && pendingConnect.channel() == ch
        && !pendingConnect.isSuccess()) {
      closeCause = pendingConnect.cause();
    }
    Throwable cause =
        closeCause != null
            ? closeCause
            : new GimClientException(GimClientException.CONNECTION_CLOSED, "connection closed");
    boolean wasConnected = connected;
    Server server = channelServer;
    channel = null;
    channelServer = null;
    connected = false;
    connectedServer = null;
    signedIn = false;
    cancel(heartbeatTask);
    pending.failAll(
        new GimClientException(GimClientException.CONNECTION_CLOSED, "connection closed", cause));
    sequencer.onDisconnected();

    if (!established) {
      connectFailedServers.add(server);
      connectFailures.add(cause);
      if (!connectFuture.isDone() && !closed && !halted && !rotation.failed()) {
        // The first round tries every server at once: connect() waits for no backoff.
        log.info("Connecting to {} failed, trying the next server: {}", server, cause.toString());
        openChannel();
        return;
      }
      if (!connectFuture.isDone()) {
        connectFuture.completeExceptionally(connectFailure(cause));
      }
      connectFuture = null; // a later connect() starts afresh
      return;
    }
    if (wasConnected) {
      notifyListener(() -> listener.onDisconnected(cause));
    }
    if (!closed && !halted && backoff != null) {
      // The next server at once; the backoff grows only after every server failed in a row.
      long delay = rotation.failed() ? backoff.delay(rotation.failedRounds() - 1).toNanos() : 0;
      Server next = config.servers().get(rotation.current());
      log.info(
          "Connection to {} ended, reconnecting to {} in {} ms (failed rounds: {})",
          server,
          next,
          TimeUnit.NANOSECONDS.toMillis(delay),
          rotation.failedRounds());
      reconnectTask =
          loop.schedule(
              () -> {
                reconnectTask = null;
                if (!closed && !halted && channel == null) {
                  openChannel();
                }
              },
              delay,
              TimeUnit.NANOSECONDS);
    }
  }

  /**
   * What connect() fails with once every server failed: with one server its own error, as before
   * there were several; with more, one exception naming each server and what it failed with.
   */
  private Throwable connectFailure(Throwable last) {
    if (config.servers().size() == 1 || connectFailures.size() < 2) {
      return last;
    }
    StringBuilder message = new StringBuilder("could not connect to any of ");
    message.append(connectFailedServers.size()).append(" servers: ");
    for (int i = 0; i < connectFailedServers.size(); i++) {
      message
          .append(i == 0 ? "" : ", ")
          .append(connectFailedServers.get(i))
          .append(" (")
          .append(connectFailures.get(i))
          .append(')');
    }
    GimClientException failure =
        new GimClientException(GimClientException.NOT_CONNECTED, message.toString(), last);
    for (Throwable earlier : connectFailures.subList(0, connectFailures.size() - 1)) {
      failure.addSuppressed(earlier);
    }
    return failure;
  }

  // ---- requests ----

  private CompletableFuture<ByteString> send(
      Channel ch, PacketCommand command, ByteString content) {
    String id = pending.nextId();
    CompletableFuture<Packet> reply = pending.register(id, command.name());
    Packet packet =
        Packet.newBuilder().setRequestId(id).setCommand(command).setContent(content).build();
    ch.writeAndFlush(packet)
        .addListener(
            f -> {
              if (!f.isSuccess()) {
                pending.fail(
                    id,
                    new GimClientException(
                        GimClientException.PROTOCOL_ERROR,
                        command + " could not be written",
                        f.cause()));
              }
            });
    if (command == PacketCommand.PC_HEARTBEAT) {
      return reply.thenApply(Packet::getContent); // the server echoes a heartbeat, no Reply
    }
    return reply.thenCompose(ClientEngine::replyData);
  }

  private static CompletableFuture<ByteString> replyData(Packet packet) {
    try {
      Reply reply = Reply.parseFrom(packet.getContent());
      return reply.getCode() == 0
          ? CompletableFuture.completedFuture(reply.getData())
          : CompletableFuture.failedFuture(
              new GimClientException(reply.getCode(), reply.getMessage()));
    } catch (InvalidProtocolBufferException e) {
      return CompletableFuture.failedFuture(
          new GimClientException(
              GimClientException.PROTOCOL_ERROR, packet.getCommand() + " reply is not a Reply", e));
    }
  }

  private static ByteString subscribeContent(long room) {
    return SubscribeRoomRequest.newBuilder().setRoomId(room).build().toByteString();
  }

  /** Sends {@code PC_ACK}; {@code null} when there is no signed-in connection to send it on. */
  private CompletableFuture<ByteString> sendAck(long seq) {
    if (channel == null || !signedIn) {
      return null;
    }
    ByteString content = MessageACKRequest.newBuilder().setDeviceAck(seq).build().toByteString();
    return send(channel, PacketCommand.PC_ACK, content);
  }

  /** Called with the seq of a stored send of this device; hops to the loop. */
  public void ownSendStored(long seq) {
    if (seq == 0) {
      return;
    }
    try {
      loop.execute(
          () -> {
            if (signedIn) {
              sequencer.onOwnSend(seq);
              publishCursor();
            }
          });
    } catch (RejectedExecutionException e) {
      // closed: the next client syncs from its cursor anyway
    }
  }

  // ---- helpers ----

  /** Publishes the sequencer's position as one value, so a reader never pairs a seq and epoch. */
  private void publishCursor() {
    long seq = sequencer.lastDelivered();
    long epoch = sequencer.epoch();
    InboxCursor now = cursor;
    if (now == null || now.seq() != seq || now.epoch().orElse(-1) != epoch) {
      cursor = new InboxCursor(seq, epoch == -1 ? OptionalLong.empty() : OptionalLong.of(epoch));
    }
  }

  private void runOnLoop(CompletableFuture<?> result, Runnable task) {
    if (closeRequested && !loop.inEventLoop()) {
      result.completeExceptionally(
          new GimClientException(GimClientException.CLIENT_CLOSED, "client is closed"));
      return;
    }
    try {
      loop.execute(task);
    } catch (RejectedExecutionException e) {
      result.completeExceptionally(
          new GimClientException(GimClientException.CLIENT_CLOSED, "client is closed", e));
    }
  }

  private static <T> void complete(CompletableFuture<T> result, T value, Throwable error) {
    if (error != null) {
      result.completeExceptionally(
          error instanceof java.util.concurrent.CompletionException && error.getCause() != null
              ? error.getCause()
              : error);
    } else {
      result.complete(value);
    }
  }

  private static void cancel(ScheduledFuture<?> task) {
    if (task != null) {
      task.cancel(false);
    }
  }

  private void notifyListener(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      log.error("MessageListener threw; delivery continues", e);
    }
  }

  /** Delivery callbacks of the sequencer; run on loop. */
  private final class Delivery implements InboxSequencer.Actions {

    @Override
    public void deliver(Message m) {
      ReceivedMessage message = ReceivedMessages.of(m);
      notifyListener(() -> listener.onMessage(message));
    }

    @Override
    public void requestSync(long requestId, long seq, boolean fromStart) {
      Channel ch = channel;
      if (ch == null) {
        return;
      }
      SyncRequest request =
          SyncRequest.newBuilder()
              .setSeq(seq)
              .setFromStart(fromStart)
              .setLimit(config.syncPageSize())
              .build();
      send(ch, PacketCommand.PC_SYNC, request.toByteString())
          .whenComplete(
              (data, error) -> {
                if (ch != channel) {
                  return;
                }
                try {
                  if (error != null) {
                    throw error;
                  }
                  // Ask for the next page first, so the server reads it while this one is
                  // decoded and delivered here.
                  SyncPeek peek = SyncPeek.of(data);
                  sequencer.onPageArriving(requestId, peek.hasMore(), peek.epoch(), peek.next());
                  sequencer.onSyncPage(requestId, SyncReply.parseFrom(data));
                  publishCursor();
                } catch (Throwable failure) {
                  // Sync is the source of truth; without it, start over on a fresh connection.
                  log.warn("Sync from seq {} failed, reconnecting: {}", seq, failure.toString());
                  sequencer.onSyncFailed();
                  closeCause = failure;
                  ch.close();
                }
              });
    }

    @Override
    public void delivered(long seq) {
      publishCursor();
      acks.offer(seq);
    }

    @Override
    public void syncFinished() {
      acks.flush();
      if (connected) {
        return;
      }
      connected = true;
      connectedServer = channelServer;
      established = true;
      rotation.established();
      // The listener hears of the connection before connect() returns to its caller.
      notifyListener(listener::onConnected);
      connectFuture.complete(null);
    }
  }
}
