package io.gim.store.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A database (MariaDB) or schema (PostgreSQL) of one test's own, or a fresh H2 file, with stores
 * that purge every 50 ms in batches of 10 rows: purging deletes by age across a whole table, so it
 * must never run on the tables that concurrent runs share. {@link #close()} drops what it created.
 */
final class IsolatedDatabase implements AutoCloseable {
  private final DatabaseAvailability.Server admin;
  private final String name;
  private final String url;
  private final JdbcStores stores;

  private IsolatedDatabase(
      DatabaseAvailability.Server admin, String name, String url, Duration inboxRetention) {
    this.admin = admin;
    this.name = name;
    this.url = url;
    this.stores =
        JdbcStores.builder()
            .url(url)
            .user(admin == null ? "sa" : admin.user())
            .password(admin == null ? "" : admin.password())
            .inboxRetention(inboxRetention)
            .purgeInterval(Duration.ofMillis(50))
            .purgeBatch(10)
            .build();
  }

  static IsolatedDatabase h2(Duration inboxRetention) {
    String url = "jdbc:h2:file:" + TestDatabases.tempDir().resolve("gim").toAbsolutePath();
    return new IsolatedDatabase(null, null, url, inboxRetention);
  }

  static IsolatedDatabase mariadb(Duration inboxRetention) throws SQLException {
    DatabaseAvailability.Server s = DatabaseAvailability.require(DatabaseAvailability.MARIADB);
    String name = freshName();
    run(s, "CREATE DATABASE " + name);
    String base = s.url().substring(0, s.url().lastIndexOf('/') + 1);
    return new IsolatedDatabase(s, "DATABASE " + name, base + name, inboxRetention);
  }

  static IsolatedDatabase postgres(Duration inboxRetention) throws SQLException {
    DatabaseAvailability.Server s = DatabaseAvailability.require(DatabaseAvailability.POSTGRES);
    String name = freshName();
    run(s, "CREATE SCHEMA " + name);
    String url = s.url() + (s.url().contains("?") ? "&" : "?") + "currentSchema=" + name;
    return new IsolatedDatabase(s, "SCHEMA " + name + " CASCADE", url, inboxRetention);
  }

  JdbcStores stores() {
    return stores;
  }

  /** Rows of {@code gim_send_dedupe}, expired or not. */
  long dedupeRows() throws SQLException {
    try (Connection c =
            DriverManager.getConnection(
                url, admin == null ? "sa" : admin.user(), admin == null ? "" : admin.password());
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM gim_send_dedupe")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Override
  public void close() throws SQLException {
    stores.close();
    if (admin != null) {
      run(admin, "DROP " + name);
    }
  }

  private static String freshName() {
    return "gim_test_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
  }

  private static void run(DatabaseAvailability.Server s, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(s.url(), s.user(), s.password());
        Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }
}
