package io.gim.spi.store;

import java.util.Objects;

/**
 * Identifies one client send for idempotency: the same {@code clientMsgId} from the same device is
 * stored once. A device is the pair (user, device id), so stores key on all three fields ({@code
 * userId}, {@code deviceId}, {@code clientMsgId}), compared exactly (case, trailing spaces and NUL
 * included); {@code userId} is also whose seq a duplicate's result reports.
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
