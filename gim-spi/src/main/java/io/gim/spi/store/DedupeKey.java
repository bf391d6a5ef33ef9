package io.gim.spi.store;

import java.util.Objects;

/**
 * Identifies one client send for idempotency: the same {@code clientMsgId} from the same device is
 * stored once. Stores key on ({@code deviceId}, {@code clientMsgId}) only; {@code userId} says
 * whose seq a duplicate's result reports, so do not use the record itself as the key.
 *
 * @param userId the sending user, whose seq a duplicate's result reports
 * @param deviceId the sending device
 * @param clientMsgId the client's key, not empty
 */
public record DedupeKey(long userId, long deviceId, String clientMsgId) {
  public DedupeKey {
    Objects.requireNonNull(clientMsgId, "clientMsgId");
    if (clientMsgId.isEmpty()) {
      throw new IllegalArgumentException("clientMsgId: empty (expected: a non-empty key)");
    }
  }
}
