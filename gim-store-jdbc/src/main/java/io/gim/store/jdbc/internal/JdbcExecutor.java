package io.gim.store.jdbc.internal;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The store's own threads for blocking JDBC: as many as the pool has connections (more would only
 * wait for one), a bounded queue in front, and a rejection when it is full so that callers get
 * {@code BUSY} at once instead of an unbounded backlog. A linked queue, as a large capacity should
 * cost memory only for calls that actually wait.
 */
final class JdbcExecutor {
  private static final AtomicInteger THREADS = new AtomicInteger();

  /**
   * jOOQ emulates H2's multi-row upsert as a MERGE over nested UNION ALLs, and H2's recursive
   * parser overflows a default stack on a 1,000-row chunk. The stack is reserved, not committed, so
   * a large one costs address space only.
   */
  private static final long STACK_BYTES = 64L << 20;

  private JdbcExecutor() {}

  static ThreadPoolExecutor create(int threads, int queueCapacity) {
    ThreadFactory factory =
        r -> {
          Thread t = new Thread(null, r, "gim-jdbc-" + THREADS.incrementAndGet(), STACK_BYTES);
          t.setDaemon(true);
          return t;
        };
    ThreadPoolExecutor executor =
        new ThreadPoolExecutor(
            threads,
            threads,
            60,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(queueCapacity),
            factory,
            new ThreadPoolExecutor.AbortPolicy());
    executor.allowCoreThreadTimeOut(true);
    return executor;
  }
}
