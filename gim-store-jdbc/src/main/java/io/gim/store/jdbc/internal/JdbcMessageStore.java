package io.gim.store.jdbc.internal;

import static io.gim.store.jdbc.internal.Tables.*;

import io.gim.spi.GimErrorCode;
import io.gim.spi.GimException;
import io.gim.spi.store.AppendRequest;
import io.gim.spi.store.AppendResult;
import io.gim.spi.store.DedupeKey;
import io.gim.spi.store.MessageStore;
import io.gim.spi.store.StoredMessage;
import io.gim.spi.store.SyncPage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.Record7;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

/**
 * A {@link MessageStore} on jOOQ. Appends of up to {@link GroupCommit#MAX_RECEIVERS} receivers go
 * through {@link GroupCommit}, which commits those that queue together in one transaction of a few
 * multi-row statements; a larger fan-out is one transaction of its own: the message row, the
 * receivers' seqs and inbox rows in {@link Appender}'s chunked multi-row statements, then the
 * dedupe row (when a key is given). Thread-safe; no method blocks: the work runs on the store's
 * executor.
 */
final class JdbcMessageStore implements MessageStore {
  /** The longest client key the key column holds (255 characters), refused clearly above. */
  private static final int MAX_CLIENT_MSG_ID = 255;

  private static final int MAX_DEDUPE_ATTEMPTS = 50;

  private final Database db;
  private final Appender appender;
  private final GroupCommit groupCommit;
  private final long epoch;

  /**
   * {@code queueCapacity} bounds the appends waiting for group commit, as it bounds other calls.
   */
  JdbcMessageStore(Database db, long epoch, int chunkSize, int queueCapacity) {
    this.db = db;
    this.appender = new Appender(chunkSize, db.dialect());
    // On every database: where commits are durable (fsync) and statements are round trips
    // (MariaDB, PostgreSQL) that is the point; on H2 it costs nothing and keeps one append path.
    this.groupCommit = new GroupCommit(db, appender, queueCapacity, this::appendAlone);
    this.epoch = epoch;
  }

  @Override
  public CompletionStage<AppendResult> append(AppendRequest request) {
    DedupeKey key = request.dedupe();
    if (key != null && key.clientMsgId().length() > MAX_CLIENT_MSG_ID) {
      return CompletableFuture.failedFuture(
          new GimException(GimErrorCode.BAD_REQUEST, "client message id too long"));
    }
    if (key != null && key.clientMsgId().indexOf('\0') >= 0) {
      // PostgreSQL cannot store U+0000 in text; refused on every database, so that a host sees
      // the same answer whichever it runs on, and before a shared transaction could see it.
      return CompletableFuture.failedFuture(
          new GimException(GimErrorCode.BAD_REQUEST, "client message id holds U+0000"));
    }
    if (request.userIds().size() <= GroupCommit.MAX_RECEIVERS) {
      return groupCommit.append(request);
    }
    if (key == null) {
      return db.transaction(ctx -> appender.append(ctx, request));
    }
    return db.read(ctx -> appendOnce(ctx, request));
  }

  /** Fails the appends waiting for group commit; called by close once the executor is shut down. */
  void abandonQueued(GimException why) {
    groupCommit.abandonQueued(why);
  }

  /** One append in its own transaction, on a store thread; blocks. */
  private AppendResult appendAlone(AppendRequest request) {
    if (request.dedupe() == null) {
      return db.inTransaction(ctx -> appender.append(ctx, request));
    }
    return appendOnce(db.dsl(), request);
  }

  /**
   * The dedupe loop, on a store thread: the transaction's last statement claims the key; when
   * another append holds it, the transaction rolls back and the loop answers with the stored first
   * result, or takes over an expired key.
   */
  private AppendResult appendOnce(DSLContext ctx, AppendRequest request) {
    DedupeKey key = request.dedupe();
    for (int attempt = 1; ; attempt++) {
      try {
        return db.inTransaction(tx -> appender.append(tx, request));
      } catch (DataAccessException e) {
        if (!Failures.uniqueViolation(e) || attempt >= MAX_DEDUPE_ATTEMPTS) {
          throw e;
        }
      }
      Record first =
          ctx.select(DEDUPE_MESSAGE, DEDUPE_CREATED_AT, DEDUPE_SENDER_SEQ, DEDUPE_EXPIRES_AT)
              .from(DEDUPE)
              .where(DEDUPE_USER.eq(key.userId()))
              .and(DEDUPE_DEVICE.eq(key.deviceId()))
              .and(DEDUPE_KEY.eq(key.clientMsgId()))
              .fetchOne();
      long now = System.currentTimeMillis();
      if (first != null && first.get(DEDUPE_EXPIRES_AT) > now) {
        long senderSeq = first.get(DEDUPE_SENDER_SEQ);
        return new AppendResult(
            first.get(DEDUPE_MESSAGE),
            first.get(DEDUPE_CREATED_AT),
            senderSeq > 0 ? Map.of(key.userId(), senderSeq) : Map.of(),
            true);
      }
      if (first != null) {
        // Expired: only the expired row goes, so two racing takers cannot delete each other's.
        ctx.deleteFrom(DEDUPE)
            .where(DEDUPE_USER.eq(key.userId()))
            .and(DEDUPE_DEVICE.eq(key.deviceId()))
            .and(DEDUPE_KEY.eq(key.clientMsgId()))
            .and(DEDUPE_EXPIRES_AT.le(now))
            .execute();
      } else {
        // The holder rolled back, or has not committed where the database reports conflicts early.
        Database.backOff(attempt);
      }
    }
  }

  @Override
  public CompletionStage<SyncPage> sync(long userId, long afterSeq, int limit) {
    if (limit < 1) {
      return CompletableFuture.failedFuture(
          new GimException(GimErrorCode.BAD_REQUEST, "limit: " + limit + " (expected: > 0)"));
    }
    // One row more than asked says exactly whether more follow.
    int fetch = limit == Integer.MAX_VALUE ? limit : limit + 1;
    return db.read(
        ctx -> {
          List<Record7<Long, Long, Long, Long, Integer, byte[], Long>> rows =
              ctx.select(
                      INBOX_SEQ,
                      MESSAGE_ID,
                      MESSAGE_SENDER_USER,
                      MESSAGE_SENDER_DEVICE,
                      MESSAGE_COMMAND,
                      MESSAGE_CONTENT,
                      MESSAGE_CREATED_AT)
                  .from(INBOX)
                  .join(MESSAGE)
                  .on(MESSAGE_ID.eq(INBOX_MESSAGE))
                  .where(INBOX_USER.eq(userId).and(INBOX_SEQ.gt(afterSeq)))
                  .orderBy(INBOX_SEQ)
                  .limit(fetch)
                  .fetch();
          boolean hasMore = rows.size() > limit;
          List<StoredMessage> page = new ArrayList<>(Math.min(rows.size(), limit));
          for (int i = 0; i < rows.size() && i < limit; i++) {
            var r = rows.get(i);
            page.add(
                new StoredMessage(
                    r.value2(),
                    r.value1(),
                    r.value3(),
                    r.value4(),
                    r.value5(),
                    r.value6(),
                    r.value7()));
          }
          return new SyncPage(page, hasMore, epoch);
        });
  }

  /**
   * Raises the device's ack to {@code seq} clamped to the user's largest seq, never lowering it:
   * the clamp reads the seq row, which only grows, and the upsert keeps the greater of the stored
   * and the new ack, so concurrent acks and appends cannot move it back or past the inbox.
   */
  @Override
  public CompletionStage<Void> ack(long userId, long deviceId, long seq) {
    return db.transaction(
        ctx -> {
          Long max =
              ctx.select(USER_SEQ_MAX)
                  .from(USER_SEQ)
                  .where(USER_SEQ_USER.eq(userId))
                  .fetchOne(USER_SEQ_MAX);
          long clamped = Math.min(seq, max == null ? 0 : max);
          if (clamped <= 0) {
            return null;
          }
          Appender.upsert(
              () ->
                  ctx.insertInto(ACK, ACK_USER, ACK_DEVICE, ACK_SEQ)
                      .values(userId, deviceId, clamped)
                      .onConflict(ACK_USER, ACK_DEVICE)
                      .doUpdate()
                      .set(ACK_SEQ, DSL.greatest(ACK_SEQ, DSL.val(clamped)))
                      .execute());
          return null;
        });
  }

  @Override
  public CompletionStage<Long> maxAck(long userId) {
    return db.read(
        ctx -> {
          Long max =
              ctx.select(DSL.max(ACK_SEQ))
                  .from(ACK)
                  .where(ACK_USER.eq(userId))
                  .fetchOne(0, Long.class);
          return max == null ? 0L : max;
        });
  }
}
