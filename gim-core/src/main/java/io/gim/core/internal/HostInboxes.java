package io.gim.core.internal;

import io.gim.core.Inboxes;
import io.gim.protocol.SyncReply;
import io.gim.protocol.SyncRequest;
import io.gim.spi.GimErrorCode;
import io.gim.spi.GimException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The host's {@link Inboxes}: the engine's PC_SYNC and PC_ACK without a session. Thread-safe. */
final class HostInboxes implements Inboxes {
  private final Inbox inbox;

  HostInboxes(Inbox inbox) {
    this.inbox = inbox;
  }

  @Override
  public CompletionStage<SyncReply> sync(long userId, SyncRequest request) {
    Objects.requireNonNull(request, "request");
    if (userId <= 0) {
      return badId("userId", userId);
    }
    return inbox.sync(userId, request);
  }

  @Override
  public CompletionStage<Void> ack(long userId, long deviceId, long seq) {
    if (userId <= 0) {
      return badId("userId", userId);
    }
    if (deviceId <= 0) {
      return badId("deviceId", deviceId);
    }
    return inbox.ack(userId, deviceId, seq);
  }

  private static <T> CompletionStage<T> badId(String name, long value) {
    return CompletableFuture.failedFuture(
        new GimException(
            GimErrorCode.BAD_REQUEST,
            name + ": " + Long.toUnsignedString(value) + " (expected: > 0)"));
  }
}
