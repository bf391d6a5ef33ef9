package io.gim.store.jdbc;

import static io.gim.store.jdbc.JdbcRecoveryTest.get;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.gim.spi.GimErrorCode;
import io.gim.spi.GimException;
import io.gim.spi.store.AppendRequest;
import io.gim.spi.store.AppendResult;
import io.gim.spi.store.NewMessage;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The server kills every connection of the store's pool: calls in flight may fail, with 10303 only,
 * and the store recovers by itself as the pool replaces the dead connections. Only the pool's own
 * connections are killed (the servers are shared with other runs).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ConnectionLossIT {
  private final long user = ThreadLocalRandom.current().nextLong(1, 1L << 40) * 1_000_000L;

  @Test
  void recoversAfterMariaDbKillsThePoolsConnections() throws Exception {
    check(
        DatabaseAvailability.require(DatabaseAvailability.MARIADB),
        "SELECT CONNECTION_ID()",
        "KILL ");
  }

  @Test
  void recoversAfterPostgresTerminatesThePoolsConnections() throws Exception {
    check(
        DatabaseAvailability.require(DatabaseAvailability.POSTGRES),
        "SELECT pg_backend_pid()",
        "SELECT pg_terminate_backend(");
  }

  private void check(DatabaseAvailability.Server server, String idQuery, String kill)
      throws Exception {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(server.url());
    config.setUsername(server.user());
    config.setPassword(server.password());
    config.setMaximumPoolSize(2);
    config.setMinimumIdle(2);
    config.setConnectionTimeout(2_000);
    try (HikariDataSource pool = new HikariDataSource(config);
        JdbcStores stores = JdbcStores.builder().dataSource(pool).maxPoolSize(2).build()) {
      get(stores.messages().append(request()));
      List<Long> ids = connectionIds(pool, idQuery);
      try (Connection admin =
              DriverManager.getConnection(server.url(), server.user(), server.password());
          Statement s = admin.createStatement()) {
        for (long id : ids) {
          s.execute(kill + id + (kill.endsWith("(") ? ")" : ""));
        }
      }
      int failures = 0;
      int successes = 0;
      for (int i = 0; i < 200 && successes < 5; i++) {
        try {
          AppendResult r =
              stores.messages().append(request()).toCompletableFuture().get(20, TimeUnit.SECONDS);
          assertThat(r.seqOf(user)).isPositive();
          successes++;
        } catch (ExecutionException e) {
          GimException failure = GimException.from(e.getCause());
          assertThat(failure.code()).isEqualTo(GimErrorCode.STORE_UNAVAILABLE.code());
          // Reply.message reaches clients: never the driver's words or SQL.
          assertThat(failure.getMessage()).isEqualTo("store unavailable");
          failures++;
        }
      }
      assertThat(successes).as("appends after the kill (%d failed first)", failures).isEqualTo(5);
      assertThat(get(stores.messages().sync(user, 0, 100)).messages()).hasSize(1 + successes);
    }
  }

  /** Borrows both pooled connections at once so that each reports its server-side id. */
  private static List<Long> connectionIds(HikariDataSource pool, String idQuery) throws Exception {
    List<Long> ids = new ArrayList<>();
    try (Connection a = pool.getConnection();
        Connection b = pool.getConnection()) {
      for (Connection c : List.of(a, b)) {
        try (Statement s = c.createStatement();
            ResultSet rs = s.executeQuery(idQuery)) {
          rs.next();
          ids.add(rs.getLong(1));
        }
      }
    }
    return ids;
  }

  private AppendRequest request() {
    return AppendRequest.of(
        new NewMessage(user, 1, 1, new byte[] {7}, System.currentTimeMillis()), List.of(user));
  }
}
