package io.gim.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.gim.spi.Stores;
import io.gim.spi.store.DeviceStore;
import io.gim.spi.store.GroupStore;
import io.gim.spi.store.MessageStore;
import io.gim.store.jdbc.internal.Backend;
import io.gim.store.jdbc.internal.PurgeSettings;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;

/**
 * Durable stores on a relational database: H2 (embedded), MariaDB/MySQL or PostgreSQL, the dialect
 * read from the connection. Every store is thread-safe and no method of theirs blocks: JDBC runs on
 * the bundle's own threads ({@code gim-jdbc-N}), as many as the pool has connections, behind a
 * bounded queue. A full queue fails a call with {@code BUSY} (10302); a database that is down fails
 * it with {@code STORE_UNAVAILABLE} (10303), and calls succeed again once it is back, without a
 * restart. An append completes only after its transaction committed; appends of up to 256 receivers
 * that queue while the threads are busy share one transaction and one commit (group commit: up to
 * 2,048 appends or 4,096 inbox rows in a few multi-row statements), each still failing only on its
 * own account.
 *
 * <p>Housekeeping: send-dedupe keys past their window are deleted in the background, in bounded
 * batches on the same threads (see {@link Builder#purgeInterval}); messages are kept for ever
 * unless an {@link Builder#inboxRetention} is set. A caller that cancels a returned stage before a
 * thread took its call keeps that call from running at all.
 *
 * <p>Building blocks: it connects, applies the schema migrations (unless {@link
 * Builder#migrate(boolean) migrate(false)}) and reads the store's epoch.
 *
 * <pre>{@code
 * try (JdbcStores stores = JdbcStores.h2(Path.of("data/gim"))) {
 *   GimServer server = GimServer.builder().auth(auth).stores(stores).build();
 *   ...
 * }
 * JdbcStores shared = JdbcStores.builder()
 *     .url("jdbc:mariadb://db:3306/gim").user("gim").password(secret)
 *     .maxPoolSize(20).queueCapacity(100_000)
 *     .inboxRetention(Duration.ofDays(90))
 *     .build();
 * }</pre>
 */
public final class JdbcStores implements Stores {
  /** The default of {@link Builder#queueCapacity}: 256 full pipelines of 256 calls. */
  static final int DEFAULT_QUEUE_CAPACITY = 65_536;

  private final Backend backend;
  private final AtomicBoolean closed = new AtomicBoolean();

  private JdbcStores(Backend backend) {
    this.backend = backend;
  }

  /**
   * An H2 file database at {@code path} (H2 adds {@code .mv.db}), with a pool this bundle owns and
   * closes; blocks while it opens and migrates.
   */
  public static JdbcStores h2(Path path) {
    return builder().url("jdbc:h2:file:" + path.toAbsolutePath()).user("sa").password("").build();
  }

  /**
   * Stores on the host's {@code dataSource}, ideally a pool; {@link #close()} leaves it open.
   * Blocks while it migrates.
   */
  public static JdbcStores of(DataSource dataSource) {
    return builder().dataSource(dataSource).build();
  }

  /** Stores on a pool of their own to {@code url}; blocks while it connects and migrates. */
  public static JdbcStores of(String url, String user, String password) {
    return builder().url(url).user(user).password(password).build();
  }

  /** A builder; not thread-safe. */
  public static Builder builder() {
    return new Builder();
  }

  /** Messages, inboxes, seqs, acks and send dedupe; thread-safe, non-blocking. */
  @Override
  public MessageStore messages() {
    return backend.messages();
  }

  /** Groups and members; thread-safe, non-blocking. */
  @Override
  public GroupStore groups() {
    return backend.groups();
  }

  /** Device records; thread-safe, non-blocking. */
  @Override
  public DeviceStore devices() {
    return backend.devices();
  }

  /** The database family in use: {@code H2}, {@code MARIADB}, {@code MYSQL} or {@code POSTGRES}. */
  public String dialect() {
    return backend.dialectName();
  }

  /**
   * Fails the calls still waiting for a thread with {@code STORE_UNAVAILABLE} (10303), lets the
   * running ones finish (waiting up to 10 s, then interrupting them), stops the threads and closes
   * the pool if this bundle created it; a host's {@code DataSource} stays open. No stage is left
   * pending: a host blocked on one is released. Idempotent; blocks. Later calls on the stores fail
   * at once with {@code STORE_UNAVAILABLE}.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      backend.close();
    }
  }

  /** Options of a {@link JdbcStores}; validated and frozen by {@link #build()}. Not thread-safe. */
  public static final class Builder {
    private String url;
    private String user;
    private String password;
    private DataSource dataSource;
    private boolean migrate = true;
    private int maxPoolSize = 10;
    private int queueCapacity = DEFAULT_QUEUE_CAPACITY;
    private int batchSize = Backend.DEFAULT_CHUNK;
    private Duration connectionTimeout = Duration.ofSeconds(5);
    private Duration inboxRetention;
    private Duration purgeInterval = Duration.ofMinutes(1);
    private int purgeBatch = PurgeSettings.DEFAULT_BATCH;
    private MeterRegistry meterRegistry;

    private Builder() {}

    /**
     * Where to register the store's meters: the executor's queue and threads ({@code executor.*}
     * tagged {@code name=gim-jdbc}) and, for a pool the stores create from a URL, HikariCP's pool
     * meters ({@code hikaricp.connections.*}, pool {@code gim-jdbc}); default none. The engine
     * times every message store call itself ({@code gim.store.calls}).
     */
    public Builder meterRegistry(MeterRegistry registry) {
      this.meterRegistry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /** The JDBC URL of a database to pool; excludes {@link #dataSource}. */
    public Builder url(String url) {
      this.url = url;
      return this;
    }

    /** The database user for {@link #url}. */
    public Builder user(String user) {
      this.user = user;
      return this;
    }

    /** The password for {@link #url}. */
    public Builder password(String password) {
      this.password = password;
      return this;
    }

    /** The host's data source, left open on close; excludes {@link #url}. */
    public Builder dataSource(DataSource dataSource) {
      this.dataSource = dataSource;
      return this;
    }

    /** Whether to apply the schema migrations on start (default true); off when DBAs apply them. */
    public Builder migrate(boolean migrate) {
      this.migrate = migrate;
      return this;
    }

    /**
     * Connections of the own pool and threads of the executor (default 10); the pool keeps at least
     * two when it {@link #migrate migrates}, as the migration needs them.
     */
    public Builder maxPoolSize(int maxPoolSize) {
      this.maxPoolSize = maxPoolSize;
      return this;
    }

    /**
     * Calls that may wait for a thread before new ones fail with {@code BUSY} (default 65,536).
     *
     * <p>The queue is what absorbs bursts, and {@code BUSY} (10302) is meant for overload of the
     * whole server, never as the answer to a client that pipelines: the engine already lets each
     * connection have at most 256 requests in flight and pauses reading past that, so a connection
     * cannot take more than its share. The default holds the full pipelines of 256 connections at
     * once, or the ordinary bursts (a sync, a few sends and acks) of many thousands. A waiting call
     * costs a small task in a linked queue, no thread and no connection, and its payload is held by
     * the engine anyway. Past that, waiting would only add latency: at a few thousand calls a
     * second the last queued call already waits tens of seconds, so refusing is the honest answer.
     * Lower it where clients time out sooner; raise it together with {@link #maxPoolSize}.
     */
    public Builder queueCapacity(int queueCapacity) {
      this.queueCapacity = queueCapacity;
      return this;
    }

    /** Rows per multi-row statement in a fan-out (default 1,000). */
    public Builder batchSize(int batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    /**
     * How long a call waits for a pooled connection before failing (default 5 s; own pool only).
     */
    public Builder connectionTimeout(Duration connectionTimeout) {
      this.connectionTimeout = connectionTimeout;
      return this;
    }

    /**
     * How long a message stays in the inboxes, counted from its {@code createdAtMillis}; default:
     * for ever, as in GIM. Older messages are purged in the background, oldest first, in batches of
     * 1,000 rows. What sync returns then: purged seqs are simply not returned (a sync after them
     * starts at the oldest kept one, and {@code hasMore} stays exact), seqs never go back (the next
     * append continues after the largest seq ever given), and acks keep their values. A purge runs
     * every {@link #purgeInterval}, so a message may outlive its age by about that long.
     */
    public Builder inboxRetention(Duration maxAge) {
      this.inboxRetention = maxAge;
      return this;
    }

    /**
     * The pause between purge rounds (default 1 min): expired send-dedupe keys, and messages past
     * the {@link #inboxRetention}. A round deletes batches of at most 1,000 rows, one at a time on
     * the store's threads behind the calls already waiting, until none is left.
     */
    public Builder purgeInterval(Duration interval) {
      this.purgeInterval = interval;
      return this;
    }

    /** Rows per purge statement (default 1,000); small in tests, so that rounds take batches. */
    Builder purgeBatch(int purgeBatch) {
      this.purgeBatch = purgeBatch;
      return this;
    }

    /**
     * Validates the options, connects, migrates and returns the stores; blocks. Fails with {@code
     * IllegalArgumentException} for invalid options or an unsupported database, and with a {@code
     * GimException} ({@code STORE_UNAVAILABLE}) when the database cannot be reached.
     */
    public JdbcStores build() {
      if ((url == null) == (dataSource == null)) {
        throw new IllegalArgumentException("url or dataSource: set exactly one");
      }
      check(maxPoolSize > 0, "maxPoolSize: " + maxPoolSize + " (expected: > 0)");
      check(queueCapacity > 0, "queueCapacity: " + queueCapacity + " (expected: > 0)");
      check(
          batchSize > 0 && batchSize <= 10_000,
          "batchSize: " + batchSize + " (expected: 1..10000)");
      Objects.requireNonNull(connectionTimeout, "connectionTimeout");
      check(
          connectionTimeout.toMillis() >= 250,
          "connectionTimeout: " + connectionTimeout + " (expected: >= 250 ms)");
      check(
          inboxRetention == null
              || (inboxRetention.compareTo(Duration.ofMillis(1)) >= 0
                  && inboxRetention.compareTo(Duration.ofMillis(Long.MAX_VALUE)) <= 0),
          "inboxRetention: " + inboxRetention + " (expected: > 0 ms, or null for ever)");
      Objects.requireNonNull(purgeInterval, "purgeInterval");
      check(
          purgeInterval.toMillis() >= 10,
          "purgeInterval: " + purgeInterval + " (expected: >= 10 ms)");
      check(purgeBatch > 0, "purgeBatch: " + purgeBatch + " (expected: > 0)");
      PurgeSettings purge = new PurgeSettings(inboxRetention, purgeInterval, purgeBatch);
      Backend backend;
      if (dataSource != null) {
        backend =
            Backend.open(dataSource, null, migrate, maxPoolSize, queueCapacity, batchSize, purge);
      } else {
        HikariDataSource pool = new HikariDataSource(hikariConfig());
        backend = Backend.open(pool, pool, migrate, maxPoolSize, queueCapacity, batchSize, purge);
      }
      if (meterRegistry != null) {
        backend.bindMetrics(meterRegistry);
      }
      return new JdbcStores(backend);
    }

    private HikariConfig hikariConfig() {
      HikariConfig config = new HikariConfig();
      config.setPoolName("gim-jdbc");
      config.setJdbcUrl(url);
      config.setUsername(user);
      config.setPassword(password);
      // Flyway holds two connections while it migrates: with one, build() timed out waiting.
      config.setMaximumPoolSize(migrate ? Math.max(2, maxPoolSize) : maxPoolSize);
      config.setConnectionTimeout(connectionTimeout.toMillis());
      // READ COMMITTED everywhere: no gap locks on MariaDB, and the seq row locks give the order.
      config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
      if (meterRegistry != null) {
        config.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(meterRegistry));
      }
      return config;
    }

    private static void check(boolean ok, String message) {
      if (!ok) {
        throw new IllegalArgumentException(message);
      }
    }
  }
}
