package io.gim.spi;

import java.util.Objects;

/**
 * One client-originated send, as seen by a {@link SendPolicy}.
 *
 * @param senderUserId the signed-in user
 * @param senderDeviceId the signed-in device
 * @param target who the message is for
 * @param content the application payload as the client sent it; callers must not modify it
 * @param clientMsgId the client's idempotency key, possibly empty
 */
public record SendAttempt(
    long senderUserId, long senderDeviceId, SendTarget target, byte[] content, String clientMsgId) {
  public SendAttempt {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(clientMsgId, "clientMsgId");
  }
}
