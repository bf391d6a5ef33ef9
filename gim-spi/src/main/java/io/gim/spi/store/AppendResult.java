package io.gim.spi.store;

import java.util.Map;

/**
 * What an append stored.
 *
 * @param messageId the stored message's id, unique in the store
 * @param createdAtMillis the stored message's time, Unix milliseconds
 * @param seqs each receiver's new inbox seq; for a {@code duplicate}, only the dedupe key's user
 *     (when that user was a receiver of the first append)
 * @param duplicate true when the dedupe key was seen within its window and nothing new was stored:
 *     the fields then describe the first append
 */
public record AppendResult(
    long messageId, long createdAtMillis, Map<Long, Long> seqs, boolean duplicate) {
  public AppendResult {
    seqs = Map.copyOf(seqs);
  }

  /** The seq of {@code userId}, or 0 if that user got no inbox entry. */
  public long seqOf(long userId) {
    return seqs.getOrDefault(userId, 0L);
  }
}
