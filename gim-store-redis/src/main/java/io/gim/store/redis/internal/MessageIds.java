package io.gim.store.redis.internal;

import io.gim.spi.GimException;
import io.lettuce.core.SetArgs;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
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

  // Guarded by this. Callers wait in order; one refill at a time serves them in that order.
  private final ArrayDeque<CompletableFuture<Long>> waiting = new ArrayDeque<>();
  private long next;
  private long end; // exclusive
  private boolean fetching;

  MessageIds(RedisTarget target, byte[] key, int block) {
    this.target = target;
    this.key = key;
    this.block = block;
  }

  /** The next id: at once from the current block, else when the next block arrives. */
  CompletableFuture<Long> next() {
    CompletableFuture<Long> id;
    synchronized (this) {
      if (next < end && waiting.isEmpty()) {
        return CompletableFuture.completedFuture(next++);
      }
      id = new CompletableFuture<>();
      waiting.add(id);
      if (fetching) {
        return id;
      }
      fetching = true;
    }
    fetchBlock(); // outside the lock: a call failing at once (Redis away) completes right here
    return id;
  }

  private void fetchBlock() {
    byte[] seed = Keys.number(System.currentTimeMillis() << 20);
    // Both on the counter's node, in this order: the seed only if the counter is missing.
    CompletableFuture<String> seeded = target.call(c -> c.set(key, seed, SetArgs.Builder.nx()));
    CompletableFuture<Long> taken = target.call(c -> c.incrby(key, block));
    // A counter taken without its seed would start near 0: use a block only if both succeeded.
    seeded.thenCombine(taken, (ok, last) -> last).whenComplete(this::refilled);
  }

  private void refilled(Long last, Throwable failure) {
    List<CompletableFuture<Long>> served = new ArrayList<>();
    List<Long> given = new ArrayList<>();
    List<CompletableFuture<Long>> failed = new ArrayList<>();
    boolean again;
    synchronized (this) {
      if (failure == null) {
        next = last - block + 1;
        end = last + 1;
        while (next < end && !waiting.isEmpty()) {
          served.add(waiting.poll());
          given.add(next++);
        }
      } else {
        // Every waiting caller fails now; the next call tries Redis again.
        failed.addAll(waiting);
        waiting.clear();
      }
      again = !waiting.isEmpty();
      fetching = again;
    }
    for (int i = 0; i < served.size(); i++) {
      served.get(i).complete(given.get(i));
    }
    if (!failed.isEmpty()) {
      GimException e = RedisFailures.toGim(failure);
      failed.forEach(f -> f.completeExceptionally(e));
    }
    if (again) {
      fetchBlock();
    }
  }
}
