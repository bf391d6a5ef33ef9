package io.gim.store.jdbc;

import io.gim.testkit.Services;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * Whether a database server of the machine answers. Locally a missing server skips its tests with a
 * loud message; under CI ({@code CI=true}) it fails them, so that a CI without MariaDB or
 * PostgreSQL cannot pass by skipping.
 */
final class DatabaseAvailability {
  private DatabaseAvailability() {}

  /** A server reachable with these settings. */
  record Server(String name, String url, String user, String password) {}

  static final Server MARIADB =
      new Server(
          "MariaDB",
          setting("GIM_MARIADB_URL", "jdbc:mariadb://127.0.0.1:3306/test"),
          setting("GIM_MARIADB_USER", "root"),
          setting("GIM_MARIADB_PASSWORD", ""));

  static final Server POSTGRES =
      new Server(
          "PostgreSQL",
          setting("GIM_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test"),
          setting("GIM_POSTGRES_USER", "postgres"),
          setting("GIM_POSTGRES_PASSWORD", ""));

  /** Returns when the server answers; otherwise skips the test, or fails it under CI. */
  static Server require(Server server) {
    DriverManager.setLoginTimeout(3);
    try (Connection c =
        DriverManager.getConnection(server.url(), server.user(), server.password())) {
      return server;
    } catch (SQLException e) {
      throw Services.missing(
          server.name(), "is not reachable at " + server.url() + " (" + e.getMessage() + ")");
    }
  }

  private static String setting(String name, String fallback) {
    String value = System.getenv(name);
    return value == null ? System.getProperty(name, fallback) : value;
  }
}
