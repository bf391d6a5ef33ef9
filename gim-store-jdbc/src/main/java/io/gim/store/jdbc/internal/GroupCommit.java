package io.gim.store.jdbc.internal;

import io.gim.spi.GimException;
import io.gim.spi.store.AppendRequest;
import io.gim.spi.store.AppendResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Group commit: appends that queue while a shared transaction runs are taken by the next one, so
 * that a commit (an fsync on MariaDB and PostgreSQL) and the few statements of {@link
 * Appender#appendAll} serve many of them. One drain task is scheduled on the store's executor at a
 * time; it takes everything queued when it starts, up to {@link #MAX_APPENDS} appends, {@link
 * #MAX_ROWS} inbox rows and {@link #MAX_CONTENT_BYTES} of content, commits it, and schedules the
 * next drain if appends are still queued, behind the calls already waiting for a thread. The batch
 * grows with the queue: a lone append runs alone at once, a loaded store commits thousands of rows
 * at a time. One transaction of appends at a time also hands out seqs in the order {@link #append}
 * was called, across batches too, and leaves the other store threads to syncs, acks and large
 * fan-outs instead of waiting on the same seq rows.
 *
 * <p>Every stage completes only after its transaction committed. When a shared transaction fails (a
 * dedupe conflict, a value the database refuses), it is split in halves that run again in order,
 * down to appends alone, so that a failure fails only its own append, with its own error; a
 * database that cannot be reached fails the whole batch at once. At most {@code capacity} appends
 * wait; past that an append fails with {@code BUSY}, like a call the full executor refuses.
 * Thread-safe.
 */
final class GroupCommit {
  /** Receivers an append may have to be grouped; larger fan-outs are batches already. */
  static final int MAX_RECEIVERS = 256;

  /** Appends per shared transaction: its message insert binds 5 values per append. */
  static final int MAX_APPENDS = 2_048;

  /** Inbox rows per shared transaction: its inbox insert binds 3 values per row. */
  static final int MAX_ROWS = 4_096;

  /** Content per shared transaction: well under MariaDB's default 16 MiB packet when escaped. */
  static final long MAX_CONTENT_BYTES = 4L << 20;

  private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger waiting = new AtomicInteger();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final Object takeLock = new Object();

  /**
   * Taken from the queue by a drain that had no room left for it; the next drain starts with it.
   */
  private Pending carried; // guarded by takeLock

  private final Database db;
  private final Appender appender;
  private final int capacity;
  private final Function<AppendRequest, AppendResult> alone;

  /**
   * {@code alone} runs one append in its own transaction(s), blocking; {@code capacity} bounds the
   * appends waiting.
   */
  GroupCommit(
      Database db, Appender appender, int capacity, Function<AppendRequest, AppendResult> alone) {
    this.db = db;
    this.appender = appender;
    this.capacity = capacity;
    this.alone = alone;
  }

  CompletionStage<AppendResult> append(AppendRequest request) {
    if (waiting.incrementAndGet() > capacity) {
      waiting.decrementAndGet();
      return CompletableFuture.failedFuture(
          Failures.toGim(new RejectedExecutionException("group commit queue full")));
    }
    Pending pending = new Pending(request, new CompletableFuture<>());
    queue.add(pending);
    if (db.closed()) {
      // Closing fails what is queued once; this one may have come after.
      failQueued(Failures.closed());
    } else {
      schedule();
    }
    return pending.result;
  }

  /**
   * Fails every append still queued with {@code why}; for close, after the executor stopped taking
   * calls. A drain still running completes its own batch.
   */
  void abandonQueued(GimException why) {
    failQueued(why);
  }

  /**
   * Submits a drain unless one is scheduled or running (that one schedules again when done). If the
   * executor refuses it (closed, or full), no drain would take what is queued: it fails.
   */
  private void schedule() {
    while (queued() && scheduled.compareAndSet(false, true)) {
      try {
        db.execute(drainTask);
        return;
      } catch (RuntimeException refused) {
        failQueued(Failures.toGim(refused));
        scheduled.set(false);
      }
    }
  }

  /** The one drain task; abandoned at close, it fails whatever is still queued. */
  private final Database.Queued drainTask =
      new Database.Queued() {
        @Override
        public void run() {
          try {
            commit(take());
          } finally {
            // Cleared before looking at the queue: an append queued meanwhile either sees it
            // cleared and schedules, or is seen here.
            scheduled.set(false);
          }
          schedule();
        }

        @Override
        public void abandon(GimException why) {
          failQueued(why);
          scheduled.set(false);
        }
      };

  private boolean queued() {
    synchronized (takeLock) {
      return carried != null || !queue.isEmpty();
    }
  }

  private void failQueued(GimException why) {
    List<Pending> failed = new ArrayList<>();
    synchronized (takeLock) {
      if (carried != null) {
        failed.add(carried);
        carried = null;
      }
      for (Pending p; (p = queue.poll()) != null; ) {
        failed.add(p);
      }
    }
    waiting.addAndGet(-failed.size());
    failed.forEach(p -> p.result.completeExceptionally(why));
  }

  /**
   * Everything queued, in order, up to the caps (at least one append). Appends whose stage is
   * complete already (cancelled by the caller) are dropped unrun.
   */
  private List<Pending> take() {
    List<Pending> group = new ArrayList<>();
    int taken = 0;
    synchronized (takeLock) {
      int rows = 0;
      long bytes = 0;
      while (group.size() < MAX_APPENDS) {
        Pending next = carried != null ? carried : queue.poll();
        carried = null;
        if (next == null) {
          break;
        }
        int nextRows = next.request.userIds().size();
        long nextBytes = next.request.message().content().length;
        if (!group.isEmpty()
            && (rows + nextRows > MAX_ROWS || bytes + nextBytes > MAX_CONTENT_BYTES)) {
          carried = next;
          break;
        }
        taken++;
        if (next.result.isDone()) {
          continue;
        }
        group.add(next);
        rows += nextRows;
        bytes += nextBytes;
      }
    }
    waiting.addAndGet(-taken);
    return group;
  }

  /** Runs {@code group} in one transaction, or in halves after a failure; completes every stage. */
  private void commit(List<Pending> group) {
    List<Pending> live = group.stream().filter(p -> !p.result.isDone()).toList();
    if (live.size() <= 1) {
      live.forEach(this::runAlone);
      return;
    }
    List<AppendResult> results;
    try {
      List<AppendRequest> requests = live.stream().map(Pending::request).toList();
      results = db.inTransaction(tx -> appender.appendAll(tx, requests));
    } catch (RuntimeException e) {
      if (Failures.unreachable(e)) {
        // Split, they would fail the same way, each after its own connection timeout.
        GimException failure = Failures.toGim(e);
        live.forEach(p -> p.result.completeExceptionally(failure));
        return;
      }
      // The first half first, so that seqs still follow the order the appends were queued in.
      int half = live.size() / 2;
      commit(live.subList(0, half));
      commit(live.subList(half, live.size()));
      return;
    }
    for (int i = 0; i < live.size(); i++) {
      live.get(i).result.complete(results.get(i));
    }
  }

  private void runAlone(Pending pending) {
    if (pending.result.isDone()) {
      // Cancelled before its own transaction started (a shared one rolled back, if any).
      return;
    }
    try {
      pending.result.complete(alone.apply(pending.request));
    } catch (Throwable t) {
      pending.result.completeExceptionally(Failures.toGim(t));
    }
  }

  private record Pending(AppendRequest request, CompletableFuture<AppendResult> result) {}
}
