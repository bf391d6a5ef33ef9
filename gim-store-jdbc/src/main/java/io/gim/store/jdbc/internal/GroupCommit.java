package io.gim.store.jdbc.internal;

import io.gim.spi.GimException;
import io.gim.spi.store.AppendRequest;
import io.gim.spi.store.AppendResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

/**
 * Group commit of small appends: those that queue up while every store thread is busy share one
 * transaction, so that a commit (an fsync on MariaDB and PostgreSQL) and the round trips of the seq
 * upsert and the inbox insert serve several of them. Each append submits one drain task, and a
 * drain takes whatever is queued then, so every append is taken by its own drain or an earlier one,
 * and a lone append runs alone at once. Every stage completes only after its transaction committed;
 * when a shared transaction fails (a dedupe conflict, say), each of its appends runs again alone,
 * so that one failure fails only its own append. Thread-safe.
 */
final class GroupCommit {
  /** Receivers an append may have to be grouped; larger fan-outs are batches already. */
  static final int MAX_RECEIVERS = 16;

  private static final int MAX_APPENDS = 64;

  private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
  private final Database db;
  private final Appender appender;
  private final int maxRows;
  private final Function<AppendRequest, AppendResult> alone;

  /**
   * {@code alone} runs one append in its own transaction(s), blocking; {@code maxRows} bounds the
   * inbox rows of a shared transaction.
   */
  GroupCommit(
      Database db, Appender appender, int maxRows, Function<AppendRequest, AppendResult> alone) {
    this.db = db;
    this.appender = appender;
    this.maxRows = maxRows;
    this.alone = alone;
  }

  CompletionStage<AppendResult> append(AppendRequest request) {
    Pending pending = new Pending(request, new CompletableFuture<>());
    queue.add(pending);
    try {
      db.execute(drainTask);
    } catch (RuntimeException refused) {
      // Unless an earlier drain took it already, it fails with BUSY (or closed) like any call.
      if (queue.remove(pending)) {
        pending.result.completeExceptionally(Failures.toGim(refused));
      }
    }
    return pending.result;
  }

  /** The task every append submits; abandoned at close, it fails whatever is still queued. */
  private final Database.Queued drainTask =
      new Database.Queued() {
        @Override
        public void run() {
          drain();
        }

        @Override
        public void abandon(GimException why) {
          for (Pending p; (p = queue.poll()) != null; ) {
            p.result.completeExceptionally(why);
          }
        }
      };

  private void drain() {
    List<Pending> group = take();
    if (group.size() == 1) {
      runAlone(group.get(0));
      return;
    }
    if (group.isEmpty()) {
      return;
    }
    List<AppendResult> results;
    try {
      List<AppendRequest> requests = group.stream().map(Pending::request).toList();
      results = db.inTransaction(tx -> appender.appendAll(tx, requests));
    } catch (RuntimeException e) {
      if (Failures.unreachable(e)) {
        // Alone they would fail the same way, each after its own connection timeout.
        GimException failure = Failures.toGim(e);
        group.forEach(p -> p.result.completeExceptionally(failure));
      } else {
        group.forEach(this::runAlone);
      }
      return;
    }
    for (int i = 0; i < group.size(); i++) {
      group.get(i).result.complete(results.get(i));
    }
  }

  /**
   * The first queued append, then more while the group has room for any small append. Appends whose
   * stage is complete already (cancelled by the caller) are dropped unrun.
   */
  private List<Pending> take() {
    List<Pending> group = new ArrayList<>();
    int rows = 0;
    Pending next;
    while (group.size() < MAX_APPENDS
        && (group.isEmpty() || rows + MAX_RECEIVERS <= maxRows)
        && (next = queue.poll()) != null) {
      if (next.result.isDone()) {
        continue;
      }
      group.add(next);
      rows += next.request.userIds().size();
    }
    return group;
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
