package io.gim.store.jdbc.internal;

import io.gim.spi.GimErrorCode;
import io.gim.spi.GimException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;

/**
 * Runs blocking jOOQ work on the store's bounded executor and turns its outcome into a stage.
 * Transactions that fail with a deadlock or serialization failure run again a bounded number of
 * times; every other failure, and a commit that fails, fails the stage: a stage never completes
 * normally unless its transaction committed.
 */
final class Database {
  private static final int MAX_ATTEMPTS = 8;

  private final DSLContext dsl;
  private final ThreadPoolExecutor executor;
  private final boolean explicitBegin;

  Database(DSLContext dsl, ThreadPoolExecutor executor) {
    this.dsl = dsl;
    this.executor = executor;
    // MariaDB's and MySQL's drivers send every setAutoCommit to the server, so jOOQ's transaction
    // (autocommit off, work, commit, autocommit on) costs two round trips that START TRANSACTION
    // saves one of; PostgreSQL's and H2's drivers switch autocommit without a round trip.
    SQLDialect family = dsl.dialect().family();
    this.explicitBegin = family == SQLDialect.MARIADB || family == SQLDialect.MYSQL;
  }

  SQLDialect dialect() {
    return dsl.dialect();
  }

  /** The context for autocommit statements of work already on a store thread. */
  DSLContext dsl() {
    return dsl;
  }

  /**
   * Runs {@code task} on a store thread; it must handle its own failures. Throws {@code BUSY} when
   * the queue is full and {@code STORE_UNAVAILABLE} when the store is closed.
   */
  void execute(Queued task) {
    if (executor.isShutdown()) {
      throw Failures.closed();
    }
    try {
      executor.execute(task);
    } catch (RejectedExecutionException e) {
      // Closing makes the executor refuse too, and that is no overload.
      throw executor.isShutdown() ? Failures.closed() : Failures.toGim(e);
    }
  }

  /** True once the store is closing: no new call runs. */
  boolean closed() {
    return executor.isShutdown();
  }

  /** True when no call waits for a store thread. */
  boolean idle() {
    return executor.getQueue().isEmpty();
  }

  /** Runs {@code work} in autocommit mode (single statements that need no transaction). */
  <T> CompletionStage<T> read(Function<DSLContext, T> work) {
    return submit(() -> work.apply(dsl));
  }

  /** Runs {@code work} in one transaction, again after a deadlock or serialization failure. */
  <T> CompletionStage<T> transaction(Function<DSLContext, T> work) {
    return submit(() -> inTransaction(work));
  }

  /** The blocking core of {@link #transaction}; the caller is on a store thread. */
  <T> T inTransaction(Function<DSLContext, T> work) {
    for (int attempt = 1; ; attempt++) {
      try {
        return explicitBegin
            ? dsl.connectionResult(c -> explicitTransaction(c, work))
            : dsl.transactionResult(cfg -> work.apply(cfg.dsl()));
      } catch (RuntimeException e) {
        if (attempt >= MAX_ATTEMPTS || !Failures.retryable(e)) {
          throw e;
        }
        backOff(attempt);
      }
    }
  }

  /**
   * One transaction opened with START TRANSACTION on a connection left in autocommit mode, so that
   * the driver never switches it; ROLLBACK on any failure, including a failed COMMIT, so that the
   * connection goes back to the pool outside a transaction. A connection the host's pool hands out
   * with autocommit off takes jOOQ's path, which commits on it as it is.
   */
  private <T> T explicitTransaction(Connection c, Function<DSLContext, T> work)
      throws SQLException {
    if (!c.getAutoCommit()) {
      return DSL.using(c, dsl.dialect(), dsl.settings())
          .transactionResult(cfg -> work.apply(cfg.dsl()));
    }
    command(c, "START TRANSACTION");
    try {
      T result = work.apply(DSL.using(c, dsl.dialect(), dsl.settings()));
      command(c, "COMMIT");
      return result;
    } catch (RuntimeException | SQLException | Error e) {
      try {
        command(c, "ROLLBACK");
      } catch (SQLException rollback) {
        // The connection is broken: its driver and the pool discard it (SQL state 08).
        e.addSuppressed(rollback);
      }
      throw e;
    }
  }

  private static void command(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** A short randomised pause so that retried transactions do not collide again in step. */
  static void backOff(int attempt) {
    long micros = ThreadLocalRandom.current().nextLong(200, 1_000L << Math.min(attempt, 6));
    try {
      TimeUnit.MICROSECONDS.sleep(micros);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new GimException(GimErrorCode.STORE_UNAVAILABLE, "interrupted while retrying", e);
    }
  }

  private <T> CompletionStage<T> submit(Blocking<T> work) {
    Call<T> call = new Call<>(work);
    try {
      execute(call);
    } catch (GimException e) {
      call.abandon(e);
    }
    return call.result;
  }

  /**
   * Work waiting for a store thread. If the store closes first, {@link #abandon} fails its stage(s)
   * instead of leaving them pending for ever.
   */
  interface Queued extends Runnable {
    /** Fails what this task would have completed; it will not run. */
    void abandon(GimException why);
  }

  /**
   * One call: its stage, and the work that completes it. A stage that is already complete when a
   * thread takes the call (the caller cancelled it) means the work does not run at all; once it
   * runs, it runs to the end, commit included, whatever happens to the stage.
   */
  private static final class Call<T> implements Queued {
    final CompletableFuture<T> result = new CompletableFuture<>();
    private final Blocking<T> work;

    Call(Blocking<T> work) {
      this.work = work;
    }

    @Override
    public void run() {
      if (result.isDone()) {
        return;
      }
      try {
        result.complete(work.run());
      } catch (Throwable t) {
        result.completeExceptionally(Failures.toGim(t));
      }
    }

    @Override
    public void abandon(GimException why) {
      result.completeExceptionally(why);
    }
  }

  /** Work that blocks on the database. */
  @FunctionalInterface
  interface Blocking<T> {
    T run();
  }
}
