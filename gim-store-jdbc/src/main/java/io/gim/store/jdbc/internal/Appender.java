package io.gim.store.jdbc.internal;

import static io.gim.store.jdbc.internal.Tables.*;

import io.gim.spi.store.AppendRequest;
import io.gim.spi.store.AppendResult;
import io.gim.spi.store.DedupeKey;
import io.gim.spi.store.NewMessage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.InsertValuesStep2;
import org.jooq.InsertValuesStep3;
import org.jooq.Record2;
import org.jooq.Row2;
import org.jooq.SQLDialect;
import org.jooq.Table;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

/**
 * The body of one append transaction, the same statements on every database:
 *
 * <ol>
 *   <li>insert the message row, its id from the identity column;
 *   <li>per chunk of receivers in ascending user id: one multi-row upsert that creates or bumps
 *       each {@code gim_user_seq} row, locking it;
 *   <li>per chunk: the inbox rows. Where the database has {@code INSERT ... RETURNING} (MariaDB
 *       10.5+, PostgreSQL) one {@code INSERT ... SELECT} copies the new seqs from the locked rows
 *       into the inbox and returns them; elsewhere (H2, MySQL) a SELECT of the new seqs, then a
 *       multi-row insert. Every statement is a round trip, and round trips, not rows, are what a
 *       small append costs;
 *   <li>claim the dedupe key (when given) with a row holding the message id and the sender's seq: a
 *       duplicate's unique violation rolls the whole transaction back.
 * </ol>
 *
 * <p>Every append locks its receivers' seq rows in ascending order, so overlapping fan-outs queue
 * behind each other instead of deadlocking, and a user's seq N commits only after N-1 has (the lock
 * is held to commit): prefix visibility holds at READ COMMITTED or stricter.
 */
final class Appender {
  private final int chunkSize;
  private final boolean insertReturning;

  Appender(int chunkSize, SQLDialect dialect) {
    this.chunkSize = chunkSize;
    this.insertReturning =
        dialect.family() == SQLDialect.MARIADB || dialect.family() == SQLDialect.POSTGRES;
  }

  AppendResult append(DSLContext ctx, AppendRequest request) {
    NewMessage m = request.message();
    DedupeKey key = request.dedupe();
    long messageId = insertMessage(ctx, m);

    long[] users = request.userIds().stream().mapToLong(Long::longValue).sorted().toArray();
    Map<Long, Long> seqs = new HashMap<>(users.length * 2);
    for (int from = 0; from < users.length; from += chunkSize) {
      long[] chunk = Arrays.copyOfRange(users, from, Math.min(users.length, from + chunkSize));
      upsertSeqs(ctx, chunk);
      if (insertReturning) {
        copySeqsToInbox(ctx, chunk, seqs, messageId);
      } else {
        readSeqs(ctx, chunk, seqs);
        insertInbox(ctx, chunk, seqs, messageId);
      }
    }

    if (key != null) {
      // Last, so that one insert records the complete first result. A duplicate fails here and
      // rolls back everything above; nothing deadlocks, because the key is the last lock any
      // append takes, and its holder then waits for nothing.
      ctx.connection(c -> claim(c, List.of(request), new long[] {messageId}, List.of(seqs)));
    }
    return new AppendResult(messageId, m.createdAtMillis(), seqs, false);
  }

  /**
   * Several appends in one transaction, for group commit, in a handful of statements whatever their
   * number: the message rows (one multi-row insert where the database returns the new ids), the seq
   * counters (one multi-row upsert that adds each user's count of new messages, locking the rows in
   * ascending user order as one append of all their receivers would; PostgreSQL returns the new
   * values from it, elsewhere one SELECT reads them), the inbox rows (one multi-row insert) and the
   * dedupe rows (one multi-row insert). A user in more than one of them takes that many seqs,
   * handed out in the order of {@code requests}. Any failure fails them all.
   */
  List<AppendResult> appendAll(DSLContext ctx, List<AppendRequest> requests) {
    return ctx.connectionResult(c -> appendAll(ctx, c, requests));
  }

  private List<AppendResult> appendAll(DSLContext ctx, Connection c, List<AppendRequest> requests)
      throws SQLException {
    long[] messageIds = insertMessages(ctx, c, requests);
    TreeMap<Long, Long> taken = new TreeMap<>();
    int rows = 0;
    for (AppendRequest r : requests) {
      for (long u : r.userIds()) {
        taken.merge(u, 1L, Long::sum);
      }
      rows += r.userIds().size();
    }
    Map<Long, Long> max = takeSeqs(ctx, c, taken);

    // Each user's first new seq, then onwards in request order.
    Map<Long, Long> next = new HashMap<>(taken.size() * 2);
    taken.forEach((u, n) -> next.put(u, max.get(u) - n + 1));
    List<Map<Long, Long>> seqs = new ArrayList<>(requests.size());
    String inboxSql =
        BatchSql.values("insert into gim_user_message (user_id, seq, message_id)", 3, rows);
    try (PreparedStatement inbox = c.prepareStatement(inboxSql)) {
      int index = 0;
      for (int i = 0; i < requests.size(); i++) {
        List<Long> users = requests.get(i).userIds();
        Map<Long, Long> own = new HashMap<>(users.size() * 2);
        for (long u : users) {
          long seq = next.merge(u, 1L, Long::sum) - 1;
          own.put(u, seq);
          inbox.setLong(++index, u);
          inbox.setLong(++index, seq);
          inbox.setLong(++index, messageIds[i]);
        }
        seqs.add(own);
      }
      inbox.executeUpdate();
    }

    List<AppendRequest> keyed = new ArrayList<>();
    List<Map<Long, Long>> keyedSeqs = new ArrayList<>();
    List<Long> keyedIds = new ArrayList<>();
    for (int i = 0; i < requests.size(); i++) {
      if (requests.get(i).dedupe() != null) {
        keyed.add(requests.get(i));
        keyedSeqs.add(seqs.get(i));
        keyedIds.add(messageIds[i]);
      }
    }
    if (!keyed.isEmpty()) {
      claim(c, keyed, keyedIds.stream().mapToLong(Long::longValue).toArray(), keyedSeqs);
    }
    List<AppendResult> results = new ArrayList<>(requests.size());
    for (int i = 0; i < requests.size(); i++) {
      results.add(
          new AppendResult(
              messageIds[i], requests.get(i).message().createdAtMillis(), seqs.get(i), false));
    }
    return results;
  }

  /**
   * Inserts the message rows of {@code requests} and returns their ids in the same order. Where the
   * database has {@code INSERT ... RETURNING}, one statement: both return the rows of a multi-row
   * VALUES insert in the order of the list, and each returned row's sender, command and time are
   * checked against its request so that a database that did not would fail the transaction rather
   * than give a message another's id. Elsewhere (H2 in process, MySQL) one insert per message.
   */
  private long[] insertMessages(DSLContext ctx, Connection c, List<AppendRequest> requests)
      throws SQLException {
    long[] ids = new long[requests.size()];
    if (!insertReturning || requests.size() == 1) {
      for (int i = 0; i < requests.size(); i++) {
        ids[i] = insertMessage(ctx, requests.get(i).message());
      }
      return ids;
    }
    String sql =
        BatchSql.values(
                "insert into gim_message"
                    + " (created_at, sender_user_id, sender_device_id, command, content)",
                5,
                requests.size())
            + " returning id, created_at, sender_user_id, sender_device_id, command";
    try (PreparedStatement insert = c.prepareStatement(sql)) {
      int index = 0;
      for (AppendRequest r : requests) {
        NewMessage m = r.message();
        insert.setLong(++index, m.createdAtMillis());
        insert.setLong(++index, m.senderUserId());
        insert.setLong(++index, m.senderDeviceId());
        insert.setInt(++index, m.command());
        insert.setBytes(++index, m.content());
      }
      int i = 0;
      try (ResultSet rows = insert.executeQuery()) {
        while (rows.next()) {
          if (i == ids.length) {
            throw new IllegalStateException("more message ids returned than rows inserted");
          }
          NewMessage m = requests.get(i).message();
          if (rows.getLong(2) != m.createdAtMillis()
              || rows.getLong(3) != m.senderUserId()
              || rows.getLong(4) != m.senderDeviceId()
              || rows.getInt(5) != m.command()) {
            throw new IllegalStateException("message ids returned out of order");
          }
          ids[i++] = rows.getLong(1);
        }
      }
      checkCount(i, ids.length);
    }
    return ids;
  }

  /**
   * Adds {@code taken}'s count to each user's seq counter (creating it), locking the rows in
   * ascending user order, and returns each user's new largest seq.
   */
  private static Map<Long, Long> takeSeqs(DSLContext ctx, Connection c, TreeMap<Long, Long> taken)
      throws SQLException {
    Map<Long, Long> max = new HashMap<>(taken.size() * 2);
    switch (ctx.dialect().family()) {
      case H2 -> upsert(() -> mergeH2(ctx, taken));
      case POSTGRES -> {
        // The new values come back from the upsert itself: one round trip where a SELECT adds one.
        BatchSql.addSeqsPostgres(c, taken, max);
        checkCount(max.size(), taken.size());
        return max;
      }
      default -> BatchSql.addSeqsMysql(c, taken);
    }
    long[] users = new long[taken.size()];
    int i = 0;
    for (long u : taken.keySet()) {
      users[i++] = u;
    }
    checkCount(BatchSql.readSeqs(c, users, max), users.length);
    return max;
  }

  private static long insertMessage(DSLContext ctx, NewMessage m) {
    return ctx.insertInto(
            MESSAGE,
            MESSAGE_CREATED_AT,
            MESSAGE_SENDER_USER,
            MESSAGE_SENDER_DEVICE,
            MESSAGE_COMMAND,
            MESSAGE_CONTENT)
        .values(m.createdAtMillis(), m.senderUserId(), m.senderDeviceId(), m.command(), m.content())
        .returningResult(MESSAGE_ID)
        .fetchOne()
        .value1();
  }

  /** Inserts the dedupe rows of {@code requests} (all with a key), each with its first result. */
  private static void claim(
      Connection c, List<AppendRequest> requests, long[] messageIds, List<Map<Long, Long>> seqs)
      throws SQLException {
    long now = System.currentTimeMillis();
    String sql =
        BatchSql.values(
            "insert into gim_send_dedupe (user_id, device_id, client_msg_id, message_id,"
                + " created_at, sender_seq, expires_at)",
            7,
            requests.size());
    try (PreparedStatement insert = c.prepareStatement(sql)) {
      int index = 0;
      for (int i = 0; i < requests.size(); i++) {
        AppendRequest r = requests.get(i);
        DedupeKey key = r.dedupe();
        insert.setLong(++index, key.userId());
        insert.setLong(++index, key.deviceId());
        insert.setString(++index, key.clientMsgId());
        insert.setLong(++index, messageIds[i]);
        insert.setLong(++index, r.message().createdAtMillis());
        insert.setLong(++index, seqs.get(i).getOrDefault(key.userId(), 0L));
        insert.setLong(++index, expiresAt(now, r.dedupeWindow()));
      }
      insert.executeUpdate();
    }
  }

  /** Creates or bumps the seq rows of {@code users} (ascending), locking them to commit. */
  private static void upsertSeqs(DSLContext ctx, long[] users) {
    if (ctx.dialect().family() == SQLDialect.H2) {
      upsert(() -> mergeH2(ctx, users));
      return;
    }
    InsertValuesStep2<?, Long, Long> insert = ctx.insertInto(USER_SEQ, USER_SEQ_USER, USER_SEQ_MAX);
    for (long u : users) {
      insert = insert.values(u, 1L);
    }
    InsertValuesStep2<?, Long, Long> rows = insert;
    // MariaDB/MySQL: INSERT .. ON DUPLICATE KEY UPDATE; PostgreSQL: INSERT .. ON CONFLICT DO
    // UPDATE.
    upsert(
        () ->
            rows.onConflict(USER_SEQ_USER)
                .doUpdate()
                .set(USER_SEQ_MAX, USER_SEQ_MAX.plus(1L))
                .execute());
  }

  /** Reads the new seqs of {@code users}, upserted by this transaction. */
  private static void readSeqs(DSLContext ctx, long[] users, Map<Long, Long> seqs) {
    checkCount(ctx.connectionResult(c -> BatchSql.readSeqs(c, users, seqs)), users.length);
  }

  /**
   * Inserts the inbox rows of {@code users} with the seqs this transaction just upserted, read by
   * the insert itself from the locked seq rows, and collects the seqs it wrote: one statement where
   * {@link #readSeqs} and {@link #insertInbox} take two.
   */
  private static void copySeqsToInbox(
      DSLContext ctx, long[] users, Map<Long, Long> seqs, long messageId) {
    List<Record2<Long, Long>> written =
        ctx.insertInto(INBOX, INBOX_USER, INBOX_SEQ, INBOX_MESSAGE)
            .select(
                DSL.select(USER_SEQ_USER, USER_SEQ_MAX, DSL.val(messageId))
                    .from(USER_SEQ)
                    .where(USER_SEQ_USER.in(Arrays.stream(users).boxed().toList())))
            .returningResult(INBOX_USER, INBOX_SEQ)
            .fetch();
    for (Record2<Long, Long> r : written) {
      seqs.put(r.value1(), r.value2());
    }
    checkCount(written.size(), users.length);
  }

  private static void checkCount(int read, int upserted) {
    if (read != upserted) {
      throw new IllegalStateException(
          "read back " + read + " seq rows of " + upserted + " upserted");
    }
  }

  /**
   * H2's form of the same upsert: a MERGE over a VALUES table. jOOQ's generic emulation for H2
   * nests one UNION ALL per row, which H2 parses recursively and slowly (half a second for 10,000
   * rows); the VALUES list is flat.
   */
  private static int mergeH2(DSLContext ctx, long[] users) {
    TreeMap<Long, Long> once = new TreeMap<>();
    for (long u : users) {
      once.put(u, 1L);
    }
    return mergeH2(ctx, once);
  }

  /** {@link #mergeH2(DSLContext, long[])} adding each user's count in {@code taken}. */
  private static int mergeH2(DSLContext ctx, TreeMap<Long, Long> taken) {
    List<Row2<Long, Long>> rows = new ArrayList<>(taken.size());
    taken.forEach((u, n) -> rows.add(DSL.row(u, n)));
    Table<Record2<Long, Long>> source = DSL.values(rows.toArray(Row2[]::new)).as("s", "u", "n");
    Field<Long> sourceUser = source.field("u", Long.class);
    Field<Long> sourceCount = source.field("n", Long.class);
    return ctx.mergeInto(USER_SEQ)
        .using(source)
        .on(USER_SEQ_USER.eq(sourceUser))
        .whenMatchedThenUpdate()
        .set(USER_SEQ_MAX, USER_SEQ_MAX.plus(sourceCount))
        .whenNotMatchedThenInsert(USER_SEQ_USER, USER_SEQ_MAX)
        .values(sourceUser, sourceCount)
        .execute();
  }

  private static void insertInbox(
      DSLContext ctx, long[] users, Map<Long, Long> seqs, long messageId) {
    InsertValuesStep3<?, Long, Long, Long> insert =
        ctx.insertInto(INBOX, INBOX_USER, INBOX_SEQ, INBOX_MESSAGE);
    for (long u : users) {
      insert = insert.values(u, seqs.get(u), messageId);
    }
    insert.execute();
  }

  /**
   * Runs an upsert. Two transactions inserting the same new key at once can make H2 report a
   * duplicate key instead of waiting (MariaDB and PostgreSQL wait); running the transaction again
   * finds the row and updates it.
   */
  static void upsert(Runnable statement) {
    try {
      statement.run();
    } catch (DataAccessException e) {
      if (Failures.uniqueViolation(e)) {
        throw new Failures.Retry("concurrent insert of the same key", e);
      }
      throw e;
    }
  }

  private static long expiresAt(long now, Duration window) {
    if (window.isNegative()) {
      return now;
    }
    try {
      return Math.addExact(now, window.toMillis());
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }
}
