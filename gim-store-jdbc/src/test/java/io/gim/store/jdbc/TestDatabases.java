package io.gim.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link JdbcStores} per database for the whole test JVM: opening a pool and checking the
 * migrations per test would dominate the run. The contract suites use random ids, so tests can
 * share a store; the stores are closed when the JVM exits. Tables are never dropped: the servers
 * may be shared with concurrent runs.
 */
final class TestDatabases {
  private static final ConcurrentHashMap<String, JdbcStores> STORES = new ConcurrentHashMap<>();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> STORES.values().forEach(JdbcStores::close), "gim-test-stores-close"));
  }

  private TestDatabases() {}

  /** A file database in a fresh temporary directory. */
  static JdbcStores h2() {
    return STORES.computeIfAbsent("h2", k -> JdbcStores.h2(tempDir().resolve("gim")));
  }

  static JdbcStores mariadb() {
    DatabaseAvailability.Server s = DatabaseAvailability.require(DatabaseAvailability.MARIADB);
    return STORES.computeIfAbsent("mariadb", k -> JdbcStores.of(s.url(), s.user(), s.password()));
  }

  static JdbcStores postgres() {
    DatabaseAvailability.Server s = DatabaseAvailability.require(DatabaseAvailability.POSTGRES);
    return STORES.computeIfAbsent("postgres", k -> JdbcStores.of(s.url(), s.user(), s.password()));
  }

  /** Batches of 100 rows, so that a fan-out to a few hundred users spans several chunks. */
  static JdbcStores h2Small() {
    return STORES.computeIfAbsent(
        "h2-small",
        k ->
            JdbcStores.builder()
                .url("jdbc:h2:file:" + tempDir().resolve("gim"))
                .batchSize(100)
                .build());
  }

  static JdbcStores mariadbSmall() {
    DatabaseAvailability.Server s = DatabaseAvailability.require(DatabaseAvailability.MARIADB);
    return STORES.computeIfAbsent("mariadb-small", k -> small(s));
  }

  static JdbcStores postgresSmall() {
    DatabaseAvailability.Server s = DatabaseAvailability.require(DatabaseAvailability.POSTGRES);
    return STORES.computeIfAbsent("postgres-small", k -> small(s));
  }

  private static JdbcStores small(DatabaseAvailability.Server s) {
    return JdbcStores.builder()
        .url(s.url())
        .user(s.user())
        .password(s.password())
        .batchSize(100)
        .build();
  }

  /** A pool of two connections of the host's kind, to wrap in a {@link SwitchableDataSource}. */
  static HikariDataSource pool(DatabaseAvailability.Server server) {
    DatabaseAvailability.Server s = DatabaseAvailability.require(server);
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(s.url());
    config.setUsername(s.user());
    config.setPassword(s.password());
    config.setMaximumPoolSize(2);
    return new HikariDataSource(config);
  }

  static Path tempDir() {
    try {
      return Files.createTempDirectory("gim-jdbc-test");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
