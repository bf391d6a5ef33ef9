package io.gim.core;

import io.gim.protocol.SyncReply;
import io.gim.protocol.SyncRequest;
import java.util.concurrent.CompletionStage;

/**
 * Reading users' inboxes and moving devices' acks on behalf of a client that does not hold a long
 * connection, e.g. GIM's {@code MessageExtService.Sync} over gRPC. Obtained from {@link
 * GimServer#inboxes()}.
 *
 * <p>Thread-safe; no method blocks. The rules are exactly those of {@code PC_SYNC} and {@code
 * PC_ACK} (docs/protocol.md): the caller has authenticated the user and device.
 */
public interface Inboxes {

  /**
   * A page of {@code userId}'s inbox: after {@code request.seq}, or after the largest ack of the
   * user's devices for seq 0, or from the start with {@code from_start}; at most {@code limit}
   * messages (0 for the server's default, capped at its maximum) and at most one frame's worth of
   * bytes. Messages carry their stored time and id; {@code has_more} is exact; {@code start_seq}
   * and {@code epoch} are set.
   */
  CompletionStage<SyncReply> sync(long userId, SyncRequest request);

  /**
   * Records that device {@code (userId, deviceId)} has everything up to {@code seq}. A smaller ack
   * than the device's is ignored; one above the user's largest seq is clamped to it.
   */
  CompletionStage<Void> ack(long userId, long deviceId, long seq);
}
