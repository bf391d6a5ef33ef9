package io.gim.core.internal;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import io.gim.protocol.Message;
import io.gim.protocol.MessageACKRequest;
import io.gim.protocol.Packet;
import io.gim.protocol.SyncReply;
import io.gim.protocol.SyncRequest;
import io.gim.spi.DeviceKey;
import io.gim.spi.store.MessageStore;
import io.gim.spi.store.StoredMessage;
import io.gim.spi.store.SyncPage;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * PC_SYNC and PC_ACK: reading the inbox and moving a device's ack. Stateless, thread-safe; each
 * method returns the reply packet when the store has answered.
 */
final class Inbox {
  private final MessageStore store;
  private final int defaultLimit;
  private final int maxLimit;
  private final int pageBudgetBytes;
  private final EngineMetrics metrics;

  /**
   * @param pageBudgetBytes the largest reply content a page may have, so that it fits one frame
   */
  Inbox(
      MessageStore store,
      int defaultLimit,
      int maxLimit,
      int pageBudgetBytes,
      EngineMetrics metrics) {
    this.metrics = metrics;
    this.store = store;
    this.defaultLimit = defaultLimit;
    this.maxLimit = maxLimit;
    this.pageBudgetBytes = pageBudgetBytes;
  }

  /**
   * A page of the session's inbox after the request's start: {@code from_start} starts after seq 0,
   * {@code seq = 0} after the largest ack of the user's devices (where a new device starts), any
   * other seq after itself. The reply's {@code start_seq} says which it was.
   */
  CompletionStage<byte[]> sync(Session session, Packet packet)
      throws InvalidProtocolBufferException {
    SyncRequest request = SyncRequest.parseFrom(packet.getContent());
    int budget = pageBudgetBytes - packet.getRequestId().length();
    return page(session.key().userId(), request, session::cancelOnClose)
        .thenApply(
            read -> {
              // Straight from the store's entries into the reply packet's array.
              int count = SyncReplies.fitting(read.page().messages(), budget);
              metrics.syncPage(count);
              return SyncReplies.encode(packet, read.page(), count, read.after());
            });
  }

  /** A page for the host API: the same rules and the same frame budget as PC_SYNC. */
  CompletionStage<SyncReply> sync(long userId, SyncRequest request) {
    return page(userId, request, Inbox::unguarded)
        .thenApply(
            read -> {
              SyncReply reply = toReply(read.page(), read.after(), pageBudgetBytes);
              metrics.syncPage(reply.getMessagesCount());
              return reply;
            });
  }

  /** A store page and the seq it was read after. */
  private record Read(SyncPage page, long after) {}

  private CompletionStage<Read> page(long user, SyncRequest request, Guard guard) {
    int limit = pageSize(request.getLimit());
    CompletionStage<Long> from;
    if (request.getFromStart()) {
      from = CompletableFuture.completedFuture(0L);
    } else if (request.getSeq() != 0) {
      from = CompletableFuture.completedFuture(request.getSeq());
    } else {
      from = guard.apply(store.maxAck(user));
    }
    return from.thenCompose(
        after -> guard.apply(store.sync(user, after, limit)).thenApply(p -> new Read(p, after)));
  }

  /** Ties a store read to the life of whoever asked (a session cancels reads when it closes). */
  private interface Guard {
    <T> CompletionStage<T> apply(CompletionStage<T> read);
  }

  private static <T> CompletionStage<T> unguarded(CompletionStage<T> read) {
    return read;
  }

  /**
   * A requested limit of 0 means the default; larger than the maximum (as an unsigned 32-bit
   * number, so 2^31 and above too) means the maximum.
   */
  int pageSize(int requested) {
    if (requested == 0) {
      return defaultLimit;
    }
    return (int) Math.min(Integer.toUnsignedLong(requested), maxLimit);
  }

  /**
   * The page as a reply of at most about {@code budgetBytes}: a page that would not fit in one
   * frame is cut after the last message that fits (at least one) and says {@code has_more}, so a
   * client with the same frame limit never receives a frame it must refuse (and would ask for
   * again, forever).
   */
  static SyncReply toReply(SyncPage page, long startSeq, int budgetBytes) {
    SyncReply.Builder reply = SyncReply.newBuilder().setEpoch(page.epoch()).setStartSeq(startSeq);
    int count = SyncReplies.fitting(page.messages(), budgetBytes);
    for (int i = 0; i < count; i++) {
      reply.addMessages(toMessage(page.messages().get(i)));
    }
    return reply.setHasMore(count < page.messages().size() || page.hasMore()).build();
  }

  /** The wire form of an inbox entry, with the stored time (GIM wrongly sends the sync time). */
  static Message toMessage(StoredMessage m) {
    return Message.newBuilder()
        .setCommandValue(m.command())
        .setContent(UnsafeByteOperations.unsafeWrap(m.content()))
        .setSeq(m.seq())
        .setCreatedAt(m.createdAtMillis() / 1000)
        .setMessageId(m.messageId())
        .build();
  }

  /** Moves the device's ack forward (the store ignores a smaller one, clamps a larger one). */
  CompletionStage<byte[]> ack(Session session, Packet packet)
      throws InvalidProtocolBufferException {
    MessageACKRequest request = MessageACKRequest.parseFrom(packet.getContent());
    DeviceKey device = session.key();
    return session
        .cancelOnClose(store.ack(device.userId(), device.deviceId(), request.getDeviceAck()))
        .thenApply(ok -> Packets.ok(packet, ByteString.EMPTY));
  }

  /** Moves a device's ack forward for the host API (same rules as PC_ACK). */
  CompletionStage<Void> ack(long userId, long deviceId, long seq) {
    return store.ack(userId, deviceId, seq);
  }
}
