package io.gim.core.internal;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import io.gim.protocol.Message;
import io.gim.protocol.MessageACKRequest;
import io.gim.protocol.Packet;
import io.gim.protocol.SyncReply;
import io.gim.protocol.SyncRequest;
import io.gim.spi.store.MessageStore;
import io.gim.spi.store.StoredMessage;
import io.gim.spi.store.SyncPage;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** PC_SYNC and PC_ACK: reading the inbox and moving a device's ack. Stateless, thread-safe. */
final class Inbox {
  private final Engine engine;

  Inbox(Engine engine) {
    this.engine = engine;
  }

  void sync(Session session, Packet packet) throws InvalidProtocolBufferException {
    SyncRequest request = SyncRequest.parseFrom(packet.getContent());
    MessageStore store = engine.stores().messages();
    int limit = pageSize(request.getLimit());
    long user = session.userId();
    CompletionStage<Long> from =
        request.getSeq() != 0
            ? CompletableFuture.completedFuture(request.getSeq())
            : store.maxAck(user);
    from.thenCompose(after -> store.sync(user, after, limit))
        .whenComplete(
            (page, failure) -> {
              if (failure != null) {
                engine.replyFailure(session, packet, failure);
              } else {
                int budget = engine.maxContentBytes() - packet.getRequestId().length();
                session.send(Packets.ok(packet, toReply(page, budget).toByteString()));
              }
            });
  }

  /** A requested limit of 0 means the default; larger than the maximum means the maximum. */
  int pageSize(int requested) {
    if (requested <= 0) {
      return engine.config().syncDefaultLimit();
    }
    return Math.min(requested, engine.config().syncMaxLimit());
  }

  /**
   * The page as a reply of at most about {@code budgetBytes}: a page that would not fit in one
   * frame is cut after the last message that fits (at least one) and says {@code has_more}, so a
   * client with the same frame limit never receives a frame it must refuse (and would ask for
   * again, forever).
   */
  static SyncReply toReply(SyncPage page, int budgetBytes) {
    SyncReply.Builder reply = SyncReply.newBuilder().setEpoch(page.epoch());
    boolean cut = false;
    int size = 0;
    for (StoredMessage m : page.messages()) {
      Message message = toMessage(m);
      size += CodedOutputStream.computeMessageSize(1, message);
      if (size > budgetBytes && reply.getMessagesCount() > 0) {
        cut = true;
        break;
      }
      reply.addMessages(message);
    }
    return reply.setHasMore(cut || page.hasMore()).build();
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

  void ack(Session session, Packet packet) throws InvalidProtocolBufferException {
    MessageACKRequest request = MessageACKRequest.parseFrom(packet.getContent());
    engine
        .stores()
        .messages()
        .ack(session.userId(), session.deviceId(), request.getDeviceAck())
        .whenComplete(
            (ok, failure) -> {
              if (failure != null) {
                engine.replyFailure(session, packet, failure);
              } else {
                session.send(Packets.ok(packet, ByteString.EMPTY));
              }
            });
  }
}
