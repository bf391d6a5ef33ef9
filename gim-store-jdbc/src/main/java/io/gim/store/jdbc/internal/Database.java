package io.gim.store.jdbc.internal;

import io.gim.spi.GimErrorCode;
import io.gim.spi.GimException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;

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

  Database(DSLContext dsl, ThreadPoolExecutor executor) {
    this.dsl = dsl;
    this.executor = executor;
  }

  SQLDialect dialect() {
    return dsl.dialect();
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
        return dsl.transactionResult(cfg -> work.apply(cfg.dsl()));
      } catch (RuntimeException e) {
        if (attempt >= MAX_ATTEMPTS || !Failures.retryable(e)) {
          throw e;
        }
        backOff(attempt);
      }
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

  private <T> CompletionStage<T> submit(Blocking<T> task) {
    if (executor.isShutdown()) {
      return CompletableFuture.failedFuture(
          new GimException(GimErrorCode.STORE_UNAVAILABLE, "store closed"));
    }
    CompletableFuture<T> result = new CompletableFuture<>();
    try {
      executor.execute(
          () -> {
            try {
              result.complete(task.run());
            } catch (Throwable t) {
              result.completeExceptionally(Failures.toGim(t));
            }
          });
    } catch (RejectedExecutionException e) {
      result.completeExceptionally(Failures.toGim(e));
    }
    return result;
  }

  /** Work that blocks on the database. */
  @FunctionalInterface
  interface Blocking<T> {
    T run();
  }
}
