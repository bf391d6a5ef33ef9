package io.gim.store.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;

/**
 * The multi-row statements of a group commit as plain JDBC: SQL text built once per batch with a
 * {@code ?} per value, bound with {@code setLong}/{@code setBytes}. jOOQ builds a query part, a
 * bind context and a clock reading per bound value; at thousands of values per batch that was most
 * of the store threads' time (nearly nine samples in ten of a server profile at 20,000 persisted
 * sends/s), and a slower batch is a larger one and a longer wait for every append in it. Written
 * out, the same statements took persisted 1:1 through the server from 16-22 k to 36-39 k msg/s on
 * MariaDB and from 19-21 k to 34-35 k on PostgreSQL (docs/benchmarks.md). Names are the schema's,
 * unquoted, as {@link Tables} renders them. Each method runs one statement on the transaction's
 * connection; the caller owns the transaction.
 */
final class BatchSql {
  private BatchSql() {}

  /** {@code head} followed by {@code rows} groups of {@code columns} placeholders. */
  static String values(String head, int columns, int rows) {
    StringBuilder sql = new StringBuilder(head.length() + rows * (columns * 2 + 3));
    sql.append(head).append(" values ");
    for (int r = 0; r < rows; r++) {
      if (r > 0) {
        sql.append(',');
      }
      sql.append('(');
      for (int c = 0; c < columns; c++) {
        sql.append(c == 0 ? "?" : ",?");
      }
      sql.append(')');
    }
    return sql.toString();
  }

  /**
   * Adds each user's count in {@code taken} to its seq counter, creating it, in one upsert that
   * locks the rows in ascending user order; MariaDB/MySQL form ({@code ON DUPLICATE KEY UPDATE}).
   */
  static void addSeqsMysql(Connection c, TreeMap<Long, Long> taken) throws SQLException {
    String sql =
        values("insert into gim_user_seq (user_id, max_seq)", 2, taken.size())
            + " on duplicate key update max_seq = max_seq + values(max_seq)";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bindCounts(ps, taken);
      ps.executeUpdate();
    }
  }

  /**
   * The same upsert in PostgreSQL's form, returning each user's new largest seq into {@code max}.
   */
  static void addSeqsPostgres(Connection c, TreeMap<Long, Long> taken, Map<Long, Long> max)
      throws SQLException {
    String sql =
        values("insert into gim_user_seq (user_id, max_seq)", 2, taken.size())
            + " on conflict (user_id) do update set max_seq = gim_user_seq.max_seq +"
            + " excluded.max_seq returning user_id, max_seq";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bindCounts(ps, taken);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          max.put(rs.getLong(1), rs.getLong(2));
        }
      }
    }
  }

  /**
   * Reads the seq counters of {@code users} into {@code into}; returns the rows read. Rows this
   * transaction upserted are locked to it until commit, so what it reads is its own value.
   */
  static int readSeqs(Connection c, long[] users, Map<Long, Long> into) throws SQLException {
    StringBuilder sql =
        new StringBuilder("select user_id, max_seq from gim_user_seq where user_id in (");
    for (int i = 0; i < users.length; i++) {
      sql.append(i == 0 ? "?" : ",?");
    }
    sql.append(')');
    try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
      for (int i = 0; i < users.length; i++) {
        ps.setLong(i + 1, users[i]);
      }
      int read = 0;
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          into.put(rs.getLong(1), rs.getLong(2));
          read++;
        }
      }
      return read;
    }
  }

  private static void bindCounts(PreparedStatement ps, TreeMap<Long, Long> taken)
      throws SQLException {
    int index = 0;
    for (Map.Entry<Long, Long> e : taken.entrySet()) {
      ps.setLong(++index, e.getKey());
      ps.setLong(++index, e.getValue());
    }
  }
}
