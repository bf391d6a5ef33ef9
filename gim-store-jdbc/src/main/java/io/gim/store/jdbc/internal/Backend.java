package io.gim.store.jdbc.internal;

import static io.gim.store.jdbc.internal.Tables.META;
import static io.gim.store.jdbc.internal.Tables.META_EPOCH;
import static io.gim.store.jdbc.internal.Tables.META_ID;

import io.gim.spi.GimErrorCode;
import io.gim.spi.GimException;
import io.gim.spi.store.DeviceStore;
import io.gim.spi.store.GroupStore;
import io.gim.spi.store.MessageStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ExecutorServiceMetrics;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.jooq.tools.jdbc.JDBCUtils;

/**
 * What {@code JdbcStores} is made of: the dialect, the migrated schema, the executor and the three
 * stores. Internal: may change at any time. Thread-safe.
 */
public final class Backend implements AutoCloseable {
  /** Rows per multi-row statement in a fan-out: few round trips, well under bind-value limits. */
  public static final int DEFAULT_CHUNK = 1_000;

  static {
    // jOOQ prints a banner and tips on first use unless told not to; a library must stay quiet.
    System.setProperty("org.jooq.no-logo", System.getProperty("org.jooq.no-logo", "true"));
    System.setProperty("org.jooq.no-tips", System.getProperty("org.jooq.no-tips", "true"));
  }

  private final ThreadPoolExecutor executor;
  private final AutoCloseable ownedPool;
  private final SQLDialect dialect;
  private final JdbcMessageStore messages;
  private final JdbcGroupStore groups;
  private final JdbcDeviceStore devices;
  private final Purger purger;

  private Backend(
      DataSource dataSource,
      AutoCloseable ownedPool,
      boolean migrate,
      int threads,
      int queueCapacity,
      int chunk,
      PurgeSettings purge) {
    this.ownedPool = ownedPool;
    this.dialect = dialectOf(dataSource);
    if (migrate) {
      Migrations.apply(dataSource, dialect);
    } else {
      Migrations.folder(dialect);
    }
    DSLContext dsl =
        DSL.using(
            dataSource,
            dialect,
            new Settings().withExecuteLogging(false).withDiagnosticsLogging(false));
    long epoch = epoch(dsl);
    this.executor = JdbcExecutor.create(threads, queueCapacity);
    Database db = new Database(dsl, executor);
    this.messages = new JdbcMessageStore(db, epoch, chunk, queueCapacity);
    this.groups = new JdbcGroupStore(db);
    this.devices = new JdbcDeviceStore(db);
    this.purger = new Purger(db, purge);
    purger.start();
  }

  /**
   * Opens the stores on {@code dataSource}; blocks while it migrates and reads the epoch. {@code
   * ownedPool} (may be null) is closed by {@link #close()}; on failure it is closed here.
   */
  public static Backend open(
      DataSource dataSource,
      AutoCloseable ownedPool,
      boolean migrate,
      int threads,
      int queueCapacity,
      int chunk,
      PurgeSettings purge) {
    try {
      return new Backend(dataSource, ownedPool, migrate, threads, queueCapacity, chunk, purge);
    } catch (RuntimeException e) {
      closeQuietly(ownedPool, e);
      throw e instanceof GimException || e instanceof IllegalArgumentException
          ? e
          : Failures.toGim(e);
    }
  }

  /**
   * Registers the store executor's gauges ({@code executor.queued}, {@code executor.active}, ...
   * tagged {@code name=gim-jdbc}) in {@code registry}.
   */
  public void bindMetrics(MeterRegistry registry) {
    new ExecutorServiceMetrics(executor, "gim-jdbc", List.of()).bindTo(registry);
  }

  public MessageStore messages() {
    return messages;
  }

  public GroupStore groups() {
    return groups;
  }

  public DeviceStore devices() {
    return devices;
  }

  /** The jOOQ dialect name read from the connection, e.g. {@code MARIADB}. */
  public String dialectName() {
    return dialect.name();
  }

  /**
   * Refuses new calls, fails the queued ones with {@code STORE_UNAVAILABLE}, lets the running ones
   * finish (up to 10 s, then interrupts them), then closes the pool if this backend created it.
   */
  @Override
  public void close() {
    purger.stop();
    executor.shutdown();
    List<Runnable> queued = new ArrayList<>();
    executor.getQueue().drainTo(queued);
    abandon(queued);
    messages.abandonQueued(Failures.closed());
    try {
      if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
        abandon(executor.shutdownNow());
      }
    } catch (InterruptedException e) {
      abandon(executor.shutdownNow());
      Thread.currentThread().interrupt();
    }
    if (ownedPool != null) {
      try {
        ownedPool.close();
      } catch (Exception e) {
        throw new GimException(GimErrorCode.INTERNAL, "closing the connection pool failed", e);
      }
    }
  }

  /** Fails the stages of tasks that will never run, so that no caller waits for them for ever. */
  private static void abandon(List<Runnable> tasks) {
    GimException closed = Failures.closed();
    for (Runnable task : tasks) {
      if (task instanceof Database.Queued q) {
        q.abandon(closed);
      }
    }
  }

  private static SQLDialect dialectOf(DataSource dataSource) {
    try (Connection c = dataSource.getConnection()) {
      SQLDialect d = JDBCUtils.dialect(c);
      Migrations.folder(d);
      return d;
    } catch (SQLException e) {
      // The cause says why, for the host's log; the message stays a fixed text.
      throw new GimException(GimErrorCode.STORE_UNAVAILABLE, Failures.UNAVAILABLE, e);
    }
  }

  /** The store's epoch: made once per database, at random, then read on every start. */
  private static long epoch(DSLContext dsl) {
    long fresh = randomNonZero();
    dsl.insertInto(META, META_ID, META_EPOCH)
        .values(1, fresh)
        .onConflict(META_ID)
        .doNothing()
        .execute();
    return dsl.select(META_EPOCH).from(META).where(META_ID.eq(1)).fetchSingle().value1();
  }

  private static long randomNonZero() {
    SecureRandom random = new SecureRandom();
    long value;
    do {
      value = random.nextLong();
    } while (value == 0);
    return value;
  }

  private static void closeQuietly(AutoCloseable c, Throwable failure) {
    if (c != null) {
      try {
        c.close();
      } catch (Exception e) {
        failure.addSuppressed(e);
      }
    }
  }
}
