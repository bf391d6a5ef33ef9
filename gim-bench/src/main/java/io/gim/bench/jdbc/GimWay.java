package io.gim.bench.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The baseline: GIM's way of storing a message, on the same tables. The message row once, then for
 * each recipient its own transaction that upserts the seq, selects it back and inserts the inbox
 * row. Plain JDBC with prepared statements, so the baseline carries no jOOQ overhead.
 */
final class GimWay {
  private final String upsertSeq;

  GimWay(String url) {
    if (url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:")) {
      upsertSeq =
          "INSERT INTO gim_user_seq (user_id, max_seq) VALUES (?, 1) ON DUPLICATE KEY UPDATE"
              + " max_seq = max_seq + 1";
    } else if (url.startsWith("jdbc:postgresql:")) {
      upsertSeq =
          "INSERT INTO gim_user_seq (user_id, max_seq) VALUES (?, 1)"
              + " ON CONFLICT (user_id) DO UPDATE SET max_seq = gim_user_seq.max_seq + 1";
    } else {
      upsertSeq =
          "MERGE INTO gim_user_seq t USING (VALUES (CAST(? AS BIGINT))) s(u) ON t.user_id = s.u"
              + " WHEN MATCHED THEN UPDATE SET max_seq = t.max_seq + 1"
              + " WHEN NOT MATCHED THEN INSERT (user_id, max_seq) VALUES (s.u, 1)";
    }
  }

  /**
   * Stores one message for {@code users}, one transaction per recipient; returns the message id.
   */
  long store(Connection c, long sender, byte[] content, List<Long> users) throws SQLException {
    long messageId;
    c.setAutoCommit(true);
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO gim_message (created_at, sender_user_id, sender_device_id, command,"
                + " content) VALUES (?, ?, ?, ?, ?)",
            Statement.RETURN_GENERATED_KEYS)) {
      ps.setLong(1, System.currentTimeMillis());
      ps.setLong(2, sender);
      ps.setLong(3, 1);
      ps.setInt(4, 2);
      ps.setBytes(5, content);
      ps.executeUpdate();
      try (ResultSet keys = ps.getGeneratedKeys()) {
        keys.next();
        messageId = keys.getLong(1);
      }
    }
    c.setAutoCommit(false);
    try (PreparedStatement upsert = c.prepareStatement(upsertSeq);
        PreparedStatement select =
            c.prepareStatement("SELECT max_seq FROM gim_user_seq WHERE user_id = ?");
        PreparedStatement inbox =
            c.prepareStatement(
                "INSERT INTO gim_user_message (user_id, seq, message_id) VALUES (?, ?, ?)")) {
      for (long u : users) {
        try {
          upsert.setLong(1, u);
          upsert.executeUpdate();
          select.setLong(1, u);
          long seq;
          try (ResultSet rs = select.executeQuery()) {
            rs.next();
            seq = rs.getLong(1);
          }
          inbox.setLong(1, u);
          inbox.setLong(2, seq);
          inbox.setLong(3, messageId);
          inbox.executeUpdate();
          c.commit();
        } catch (SQLException e) {
          c.rollback();
          throw e;
        }
      }
    } finally {
      c.setAutoCommit(true);
    }
    return messageId;
  }
}
