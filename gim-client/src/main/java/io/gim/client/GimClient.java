package io.gim.client;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.gim.client.internal.ClientConfig;
import io.gim.client.internal.ClientEngine;
import io.gim.protocol.PacketCommand;
import io.gim.protocol.SendReply;
import io.gim.protocol.SendRequest;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLException;

/**
 * A client of a GIM for Java server: signs in, keeps the connection alive and comes back after
 * losing it, and delivers the user's inbox to a {@link MessageListener} exactly once per seq, in
 * seq order, acknowledging as it goes. Thread-safe; no method blocks except {@link #close()}.
 * Futures complete on the client's I/O thread, so do not block in their callbacks either.
 *
 * <pre>{@code
 * GimClient client = GimClient.builder()
 *         .tcp("im.example.com", 8001)
 *         .credentials(42, 1, token)
 *         .initialCursor(store.cursor())               // what the app already has
 *         .listener(m -> store.save(m))               // in seq order, once per seq
 *         .build();
 * client.connect().join();                            // signed in and synced
 * SendResult r = client.sendToUser(43, "hi".getBytes(UTF_8), null).join();
 * client.close();
 * }</pre>
 *
 * <p>Several servers: {@code .tcp(List.of(node1, node2, node3))} (or {@code .websocket(uris)})
 * names the nodes of a cluster. The first connect goes to a random one of them, which spreads
 * clients over the nodes; after a failed attempt or a lost connection the client tries the next
 * node in list order at once, and waits its reconnect backoff only after every node failed in a
 * row. On the new node it signs in, subscribes its room again and syncs from its cursor, exactly as
 * after any reconnect. {@link #connectedAddress()} tells which node it is on.
 *
 * <p>Delivery: inbox messages ({@code seq > 0}) reach the listener in strictly increasing seq
 * order, each seq once; anything at or below the last delivered seq is dropped. Room and broadcast
 * messages ({@code seq == 0}) are delivered as they arrive. A push that skips seqs, an own send,
 * and every (re)connect start a sync; pushes arriving meanwhile are held, and one is delivered only
 * once a sync page has shown that nothing lies between it and the last delivered seq. Acks never
 * run ahead of delivery. If the server's store reports a new {@code epoch} (it lost its seq state),
 * the client syncs its new seq space from the start and from then on uses the last 10,000 delivered
 * message ids to skip duplicates.
 */
public final class GimClient implements AutoCloseable {

  private final ClientEngine engine;
  private final EventLoopGroup ownedGroup;
  private final AtomicReference<CompletableFuture<Void>> closing = new AtomicReference<>();

  GimClient(ClientConfig config, MessageListener listener, ClientResources resources) {
    this.ownedGroup = resources == null ? ClientResources.newGroup(1) : null;
    EventLoopGroup group = resources == null ? ownedGroup : resources.group();
    this.engine = new ClientEngine(config, listener, group.next(), sslFor(config));
  }

  /**
   * A builder for a client; call {@code tcp} or {@code websocket}, {@code credentials} and {@code
   * listener}.
   */
  public static GimClientBuilder builder() {
    return new GimClientBuilder();
  }

  /**
   * Connects, signs in and syncs until the server has nothing more; does not block. The future
   * fails with a {@link GimClientException} carrying the server's code if the sign-in is refused
   * (not retried, not tried on another server), or with the connection error if the first attempt
   * fails. With several servers, a failed attempt moves on to the next server at once, and the
   * future fails only when each has failed once: with a {@link GimClientException} ({@link
   * GimClientException#NOT_CONNECTED}) whose message names every server and its error. Once
   * connected, the client reconnects by itself after a loss (unless built with {@code
   * noReconnect()}). Calling it while connecting or connected returns the same outcome; after a
   * kick-out or a refused sign-in it starts afresh.
   */
  public CompletableFuture<Void> connect() {
    return engine.connect();
  }

  /**
   * Sends {@code content} to a user; does not block. Retrying with the same {@code clientMsgId} is
   * safe: the server answers a repeat with the first send's result.
   *
   * @param clientMsgId an id unique per send from this device, or {@code null} for a random UUID
   */
  public CompletableFuture<SendResult> sendToUser(long userId, byte[] content, String clientMsgId) {
    return send(SendRequest.newBuilder().setToUserId(userId), content, clientMsgId);
  }

  /**
   * Sends {@code content} to a group the user belongs to; does not block. See {@link #sendToUser}.
   */
  public CompletableFuture<SendResult> sendToGroup(
      long groupId, byte[] content, String clientMsgId) {
    return send(SendRequest.newBuilder().setGroupId(groupId), content, clientMsgId);
  }

  /**
   * Sends {@code content} to a room's current subscribers (not stored); does not block. See {@link
   * #sendToUser}.
   */
  public CompletableFuture<SendResult> sendToRoom(long roomId, byte[] content, String clientMsgId) {
    return send(SendRequest.newBuilder().setRoomId(roomId), content, clientMsgId);
  }

  /**
   * Subscribes this connection to a room, leaving the previous one ({@code 0} only leaves); does
   * not block. The room is remembered and subscribed again after every reconnect, even if this call
   * fails because the client is not connected right now.
   */
  public CompletableFuture<Void> subscribeRoom(long roomId) {
    return engine.subscribeRoom(roomId);
  }

  /**
   * The largest inbox seq delivered to the listener. Thread-safe, non-blocking. To persist, prefer
   * {@link #cursor()}, which carries the seq's epoch too.
   */
  public long lastDeliveredSeq() {
    return engine.cursor().seq();
  }

  /**
   * The last delivered seq and its epoch, read together, for the application to persist and hand to
   * {@link GimClientBuilder#initialCursor(InboxCursor)} next time. Thread-safe, non-blocking.
   */
  public InboxCursor cursor() {
    return engine.cursor();
  }

  /**
   * The server this client is signed in and synced on right now, as given to the builder (for
   * WebSocket, the URI's host and port); empty while connecting, reconnecting or closed.
   * Thread-safe, non-blocking.
   */
  public Optional<InetSocketAddress> connectedAddress() {
    return engine.connectedServer().map(server -> server.address());
  }

  /**
   * Whether the client is signed in and past its post-connect sync right now. Thread-safe,
   * non-blocking.
   */
  public boolean isConnected() {
    return engine.isConnected();
  }

  /**
   * Stops reconnecting, closes the connection and stops the I/O thread the client started (never
   * {@link ClientResources} handed in); does not block. Idempotent.
   */
  public CompletableFuture<Void> closeAsync() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (!closing.compareAndSet(null, done)) {
      return closing.get();
    }
    engine
        .close()
        .whenComplete(
            (ignored, error) -> {
              if (ownedGroup == null) {
                done.complete(null);
              } else {
                ownedGroup
                    .shutdownGracefully(0, 2, TimeUnit.SECONDS)
                    .addListener(f -> done.complete(null));
              }
            });
    return done;
  }

  /**
   * Like {@link #closeAsync()}, but blocks until done (at most about five seconds) unless called on
   * the client's own I/O thread, e.g. from the listener, where waiting would deadlock.
   */
  @Override
  public void close() {
    CompletableFuture<Void> done = closeAsync();
    if (!engine.inEventLoop()) {
      try {
        done.get(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        // Timed out while the group drains; the threads are daemons and end soon after.
      }
    }
  }

  private CompletableFuture<SendResult> send(
      SendRequest.Builder target, byte[] content, String clientMsgId) {
    SendRequest request =
        target
            .setContent(ByteString.copyFrom(content))
            .setClientMsgId(clientMsgId != null ? clientMsgId : UUID.randomUUID().toString())
            .build();
    return engine
        .request(PacketCommand.PC_SEND, request.toByteString())
        .thenApply(
            data -> {
              try {
                SendReply reply = SendReply.parseFrom(data);
                engine.ownSendStored(reply.getSeq());
                return new SendResult(reply.getMessageId(), reply.getSeq(), reply.getCreatedAt());
              } catch (InvalidProtocolBufferException e) {
                throw new GimClientException(
                    GimClientException.PROTOCOL_ERROR, "SendReply does not decode", e);
              }
            });
  }

  private static SslContext sslFor(ClientConfig config) {
    if (!config.secure()) {
      return null;
    }
    try {
      return SslContextBuilder.forClient().build();
    } catch (SSLException e) {
      throw new UncheckedIOException(e);
    }
  }
}
