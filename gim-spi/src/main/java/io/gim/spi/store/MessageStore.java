package io.gim.spi.store;

import java.util.concurrent.CompletionStage;

/**
 * Messages, per-user inboxes with their seqs, device acks and send dedupe: the write fan-out store
 * of users and groups.
 *
 * <p>Every implementation must keep, and the {@code MessageStoreContract} suite in gim-testkit
 * checks:
 *
 * <ol>
 *   <li>Per user, seqs strictly increase in the order appends are accepted (gaps allowed).
 *   <li>Prefix visibility: once {@link #sync} can return seq N of a user, every lower seq of that
 *       user that will ever exist is returned by sync too (allocate and append atomically), until
 *       retention purges it.
 *   <li>An append's stage completes only after the message is stored as durably as the store
 *       promises; a failed stage stored nothing that a later sync returns.
 *   <li>At most one append per {@link DedupeKey} within its window; later ones get the first's
 *       result with {@link AppendResult#duplicate()} set.
 *   <li>Acks never move backwards, and never past the user's largest seq.
 * </ol>
 *
 * <p>Thread-safe; no method blocks the caller. Failures are {@link io.gim.spi.GimException}s
 * ({@code BUSY} for a full queue, {@code STORE_UNAVAILABLE} for a database that is down or a store
 * that is closed); a closing store fails the stages of calls it will not run rather than leaving
 * them pending.
 *
 * <p>Retention: send-dedupe keys past their window are deleted in the background. A store may also
 * be configured to keep messages for a maximum age (by default it keeps them for ever, as GIM
 * does); older ones are purged, oldest first. After a purge, sync simply does not return the purged
 * seqs ({@link SyncPage#hasMore()} stays exact), seqs never go back (the next append continues
 * after the largest seq ever given to the user) and acks keep their values.
 *
 * <p>Cancellation: a caller may cancel a returned stage ({@code
 * toCompletableFuture().cancel(false)}, as the engine does for the requests of a connection that
 * closed). A store may then skip the work if it has not started yet: a skipped append stores
 * nothing and claims no dedupe key, a skipped ack records nothing. Work that has started runs to
 * its end (a transaction is never abandoned half-way), so a cancelled append may still be stored; a
 * caller must not rely on either outcome.
 */
public interface MessageStore {

  /**
   * Stores one message once and appends it to the inbox of every user in {@code request.userIds()},
   * allocating each user's next seq.
   */
  CompletionStage<AppendResult> append(AppendRequest request);

  /**
   * Returns up to {@code limit} inbox entries of {@code userId} with seq greater than {@code
   * afterSeq}, ascending by seq; {@link SyncPage#hasMore()} is exact. A {@code limit} below 1 fails
   * with {@code BAD_REQUEST}; the engine caps it before it gets here.
   */
  CompletionStage<SyncPage> sync(long userId, long afterSeq, int limit);

  /**
   * Records that {@code deviceId} of {@code userId} has every seq up to {@code seq}. Atomically: a
   * smaller ack than the device's is accepted and ignored (acks never move back), and an ack above
   * the user's largest seq is clamped to it, so that it cannot hide messages appended later.
   */
  CompletionStage<Void> ack(long userId, long deviceId, long seq);

  /** The largest ack of any device of {@code userId}, 0 if none. */
  CompletionStage<Long> maxAck(long userId);
}
