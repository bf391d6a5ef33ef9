package io.gim.examples.business;

import io.gim.spi.GimErrorCode;
import io.gim.spi.GimException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.jooq.tools.jdbc.JDBCUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The business tables' database: blocking jOOQ work on a bounded executor of its own ({@code
 * biz-jdbc-N}), handed back as stages. A full queue fails a call with BUSY (10302) at once; any
 * database failure fails it with STORE_UNAVAILABLE (10303) and the fixed text "store unavailable"
 * (the SQL and the driver's message go to this class's log only). A {@link GimException} thrown by
 * the work itself (a business rule) passes through unchanged, after its transaction rolled back.
 *
 * <p>Thread-safe. {@link #close()} blocks until running work finished (up to 10 s) and leaves the
 * {@link DataSource} open: whoever made it closes it.
 */
final class BusinessDb implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BusinessDb.class);
  private static final AtomicInteger THREADS = new AtomicInteger();

  private final DSLContext dsl;
  private final ThreadPoolExecutor executor;

  private BusinessDb(DSLContext dsl, ThreadPoolExecutor executor) {
    this.dsl = dsl;
    this.executor = executor;
  }

  /**
   * Connects, reads the dialect and creates the tables that are missing; blocks. {@code threads}
   * should not exceed the connections the pool can spare for this.
   */
  static BusinessDb open(DataSource dataSource, int threads, int queueCapacity) {
    SQLDialect dialect;
    try (Connection c = dataSource.getConnection()) {
      dialect = JDBCUtils.dialect(c);
    } catch (SQLException e) {
      throw new GimException(GimErrorCode.STORE_UNAVAILABLE, "store unavailable", e);
    }
    DSLContext dsl = DSL.using(dataSource, dialect);
    Schema.create(dsl);
    ThreadPoolExecutor executor =
        new ThreadPoolExecutor(
            threads,
            threads,
            60,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(queueCapacity),
            r -> {
              Thread t = new Thread(r, "biz-jdbc-" + THREADS.incrementAndGet());
              t.setDaemon(true);
              return t;
            },
            new ThreadPoolExecutor.AbortPolicy());
    executor.allowCoreThreadTimeOut(true);
    return new BusinessDb(dsl, executor);
  }

  /** The database family: H2, MARIADB, MYSQL or POSTGRES. */
  SQLDialect family() {
    return dsl.dialect().family();
  }

  /** Runs {@code work} (autocommit statements) on a database thread. */
  <T> CompletionStage<T> read(Function<DSLContext, T> work) {
    return submit(() -> work.apply(dsl));
  }

  /** Runs {@code work} in one transaction on a database thread; any exception rolls it back. */
  <T> CompletionStage<T> transaction(Function<DSLContext, T> work) {
    return submit(() -> dsl.transactionResult(cfg -> work.apply(cfg.dsl())));
  }

  private <T> CompletionStage<T> submit(Supplier<T> work) {
    Task<T> task = new Task<>(work);
    try {
      executor.execute(task);
    } catch (RejectedExecutionException e) {
      task.result.completeExceptionally(
          executor.isShutdown()
              ? new GimException(GimErrorCode.STORE_UNAVAILABLE, "store closed")
              : new GimException(GimErrorCode.BUSY, "server busy"));
    }
    return task.result;
  }

  /** One call: its work and the stage it completes, even when dropped unrun at close. */
  private static final class Task<T> implements Runnable {
    final CompletableFuture<T> result = new CompletableFuture<>();
    private final Supplier<T> work;

    Task(Supplier<T> work) {
      this.work = work;
    }

    @Override
    public void run() {
      try {
        result.complete(work.get());
      } catch (RuntimeException e) {
        result.completeExceptionally(translate(e));
      }
    }

    void drop() {
      result.completeExceptionally(
          new GimException(GimErrorCode.STORE_UNAVAILABLE, "store closed"));
    }
  }

  /** A rule's GimException as it is (jOOQ may wrap it); anything else as "store unavailable". */
  private static GimException translate(RuntimeException e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof GimException g) {
        return g;
      }
    }
    log.warn("business database call failed", e);
    return new GimException(GimErrorCode.STORE_UNAVAILABLE, "store unavailable");
  }

  /** True when {@code e} is a unique or primary key violation (SQL state 23505, MariaDB 1062). */
  static boolean uniqueViolation(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof SQLException s
          && ("23505".equals(s.getSQLState()) || s.getErrorCode() == 1062)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Stops taking work, fails the calls still queued with STORE_UNAVAILABLE and lets running ones
   * finish (up to 10 s); idempotent, blocks.
   */
  @Override
  public void close() {
    executor.shutdown();
    List<Runnable> queued = new ArrayList<>();
    executor.getQueue().drainTo(queued);
    for (Runnable r : queued) {
      ((Task<?>) r).drop();
    }
    try {
      if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
        log.warn("business database threads still busy after 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
