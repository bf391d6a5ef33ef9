package io.gim.examples.business;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.gim.testkit.Services;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A database of one test class's own: a fresh H2 file, a MariaDB database or a PostgreSQL schema
 * with a random name on the machine's servers (which other runs share), dropped by {@link
 * #close()}. A missing server skips the test (fails it under {@code CI=true}).
 */
final class TestDatabase implements AutoCloseable {
  private final String url;
  private final String user;
  private final String password;
  private final String adminUrl;
  private final String drop;

  private TestDatabase(String url, String user, String password, String adminUrl, String drop) {
    this.url = url;
    this.user = user;
    this.password = password;
    this.adminUrl = adminUrl;
    this.drop = drop;
  }

  static TestDatabase h2() {
    try {
      String path = Files.createTempDirectory("gim-business-test").resolve("gim").toString();
      return new TestDatabase("jdbc:h2:file:" + path, "sa", "", null, null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static TestDatabase mariadb() {
    String base = setting("GIM_MARIADB_URL", "jdbc:mariadb://127.0.0.1:3306/test");
    String user = setting("GIM_MARIADB_USER", "root");
    String password = setting("GIM_MARIADB_PASSWORD", "");
    String name = freshName();
    execute("MariaDB", base, user, password, "CREATE DATABASE " + name);
    String url = base.substring(0, base.lastIndexOf('/') + 1) + name;
    return new TestDatabase(url, user, password, base, "DROP DATABASE " + name);
  }

  static TestDatabase postgres() {
    String base = setting("GIM_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    String user = setting("GIM_POSTGRES_USER", "postgres");
    String password = setting("GIM_POSTGRES_PASSWORD", "");
    String name = freshName();
    execute("PostgreSQL", base, user, password, "CREATE SCHEMA " + name);
    String url = base + (base.contains("?") ? "&" : "?") + "currentSchema=" + name;
    return new TestDatabase(url, user, password, base, "DROP SCHEMA " + name + " CASCADE");
  }

  String url() {
    return url;
  }

  String user() {
    return user;
  }

  String password() {
    return password;
  }

  /** A small pool on this database; the caller closes it. */
  HikariDataSource pool() {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(4);
    return new HikariDataSource(config);
  }

  @Override
  public void close() {
    if (drop != null) {
      execute("cleanup", adminUrl, user, password, drop);
    }
  }

  private static void execute(String name, String url, String user, String password, String sql) {
    DriverManager.setLoginTimeout(3);
    Connection c;
    try {
      c = DriverManager.getConnection(url, user, password);
    } catch (SQLException e) {
      throw Services.missing(name, "is not reachable at " + url + " (" + e.getMessage() + ")");
    }
    try (c;
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + " failed", e);
    }
  }

  private static String freshName() {
    return "gim_biz_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
  }

  private static String setting(String name, String fallback) {
    String value = System.getenv(name);
    return value == null ? System.getProperty(name, fallback) : value;
  }
}
