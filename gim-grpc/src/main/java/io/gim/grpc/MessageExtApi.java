package io.gim.grpc;

import com.google.protobuf.Empty;
import io.gim.core.Inboxes;
import io.gim.grpc.logic.MessageACKRequest;
import io.gim.grpc.logic.MessageExtServiceGrpc;
import io.gim.grpc.logic.SyncReply;
import io.gim.grpc.logic.SyncRequest;
import io.grpc.stub.StreamObserver;

/**
 * {@code logic.MessageExtService}: a signed-in user's inbox over gRPC, with exactly the rules of
 * {@code PC_SYNC} and {@code PC_ACK}. The caller is the device {@link ExtAuth} accepted, never a
 * field of the request. Thread-safe; no method blocks.
 */
final class MessageExtApi extends MessageExtServiceGrpc.MessageExtServiceImplBase {
  private final Inboxes inboxes;

  MessageExtApi(Inboxes inboxes) {
    this.inboxes = inboxes;
  }

  /**
   * A page of the caller's inbox, ordered by seq: messages keep their stored {@code created_at} and
   * carry {@code message_id}; {@code has_more} is exact; {@code epoch} and {@code start_seq} are
   * set (extensions a GIM client ignores).
   */
  @Override
  public void sync(SyncRequest request, StreamObserver<SyncReply> out) {
    Caller caller = Caller.current();
    io.gim.protocol.SyncRequest engineRequest =
        io.gim.protocol.SyncRequest.newBuilder()
            .setSeq(request.getSeq())
            .setLimit(request.getLimit())
            .setFromStart(request.getFromStart())
            .build();
    Calls.answer(() -> inboxes.sync(caller.userId(), engineRequest), MessageExtApi::toReply, out);
  }

  /** Moves the calling device's ack forward; a smaller ack is ignored, a larger one clamped. */
  @Override
  public void messageACK(MessageACKRequest request, StreamObserver<Empty> out) {
    Caller caller = Caller.current();
    Calls.empty(() -> inboxes.ack(caller.userId(), caller.deviceId(), request.getDeviceAck()), out);
  }

  /** The engine's reply in logic's type (the two are the same message on the wire). */
  static SyncReply toReply(io.gim.protocol.SyncReply page) {
    return SyncReply.newBuilder()
        .addAllMessages(page.getMessagesList())
        .setHasMore(page.getHasMore())
        .setEpoch(page.getEpoch())
        .setStartSeq(page.getStartSeq())
        .build();
  }
}
