package io.gim.client;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * Where a device is in its user's inbox: the last delivered seq and the store epoch (seq space) it
 * belongs to. Immutable and thread-safe. Persist it with the messages and hand it back through
 * {@link GimClientBuilder#initialCursor(InboxCursor)}: with the epoch, a client that restarts
 * notices a server store that lost its seqs meanwhile and fetches the new seq space from its start.
 *
 * @param seq the last delivered inbox seq, 0 if none
 * @param epoch the epoch {@code seq} belongs to; empty before the client has read a sync page
 */
public record InboxCursor(long seq, OptionalLong epoch) {

  /** Checks that {@code seq} is not negative and {@code epoch} is not {@code null}. */
  public InboxCursor {
    if (seq < 0) {
      throw new IllegalArgumentException("seq: " + seq + " (expected: >= 0)");
    }
    Objects.requireNonNull(epoch, "epoch");
  }

  /** A cursor at {@code seq} of the seq space {@code epoch}. */
  public static InboxCursor of(long seq, long epoch) {
    return new InboxCursor(seq, OptionalLong.of(epoch));
  }
}
