package io.gim.core;

import java.util.Map;

/**
 * What a host push did.
 *
 * @param messageId the stored message's id; 0 for a push that was not persisted
 * @param createdAtMillis when the message was accepted, Unix milliseconds
 * @param seqs each receiver's inbox seq; empty for a push that was not persisted
 * @param onlineDeliveries how many connections of this node the message was written to
 */
public record PushResult(
    long messageId, long createdAtMillis, Map<Long, Long> seqs, int onlineDeliveries) {
  public PushResult {
    seqs = Map.copyOf(seqs);
  }
}
