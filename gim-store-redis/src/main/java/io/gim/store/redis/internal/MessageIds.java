package io.gim.store.redis.internal;

import io.lettuce.core.SetArgs;
import java.util.concurrent.CompletableFuture;

/**
 * Message ids from a counter in Redis, taken in blocks so that most appends cost no round trip.
 *
 * <p>The counter starts at the current time in milliseconds shifted left by 20 bits, and starts
 * there again if Redis lost it (a flush, a restart without persistence): ids handed out after a
 * loss stay above every id handed out before it, unless more than a million ids per millisecond
 * were used on average since the counter was made. Clients that saw the store's epoch change dedupe
 * by message id (PROTOCOL.md), so ids must never repeat across such a loss.
 *
 * <p>Thread-safe.
 */
final class MessageIds {
  private final RedisTarget target;
  private final byte[] key;
  private final int block;

  private long next;
  private long end; // exclusive
  private CompletableFuture<Void> refill;

  MessageIds(RedisTarget target, byte[] key, int block) {
    this.target = target;
    this.key = key;
    this.block = block;
  }

  /** The next id. */
  CompletableFuture<Long> next() {
    CompletableFuture<Void> waitFor;
    boolean fetch = false;
    synchronized (this) {
      if (next < end) {
        return CompletableFuture.completedFuture(next++);
      }
      if (refill == null) {
        refill = new CompletableFuture<>();
        fetch = true;
      }
      waitFor = refill;
    }
    if (fetch) {
      // Outside the lock: a call failing at once (Redis away) completes the refill right here.
      fetchBlock(waitFor);
    }
    return waitFor.thenCompose(ignored -> next());
  }

  private void fetchBlock(CompletableFuture<Void> done) {
    byte[] seed = Keys.number(System.currentTimeMillis() << 20);
    // Both on the counter's node, in this order: the seed only if the counter is missing.
    CompletableFuture<String> seeded = target.call(c -> c.set(key, seed, SetArgs.Builder.nx()));
    CompletableFuture<Long> taken = target.call(c -> c.incrby(key, block));
    // A counter taken without its seed would start near 0: use a block only if both succeeded.
    seeded
        .thenCombine(taken, (ok, last) -> last)
        .whenComplete(
            (last, failure) -> {
              synchronized (this) {
                refill = null; // the next caller after a failure tries again
                if (failure == null) {
                  next = last - block + 1;
                  end = last + 1;
                }
              }
              if (failure == null) {
                done.complete(null);
              } else {
                done.completeExceptionally(RedisFailures.toGim(failure));
              }
            });
  }
}
