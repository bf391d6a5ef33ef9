package io.gim.store.jdbc.internal;

import static io.gim.store.jdbc.internal.Tables.*;

import io.gim.spi.GimException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jooq.DSLContext;
import org.jooq.Record2;
import org.jooq.Row2;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes expired dedupe rows and, with an inbox retention, messages older than it, in bounded
 * batches on the store's own threads. One step at a time: a step is a few statements of at most
 * {@code batch} rows each, in autocommit (every step leaves the tables consistent, so none is
 * abandoned half-way); while a step finds a full batch, the next one queues behind the calls
 * already waiting, so that purging takes at most one thread and never starves the callers. When
 * nothing is left, the next round starts after {@code interval}. Thread-safe.
 */
final class Purger implements Database.Queued {
  private static final Logger LOG = LoggerFactory.getLogger("io.gim.store.jdbc");

  private final Database db;
  private final PurgeSettings settings;
  private volatile boolean stopped;

  Purger(Database db, PurgeSettings settings) {
    this.db = db;
    this.settings = settings;
  }

  /** Schedules the first round one interval from now. */
  void start() {
    later();
  }

  /** No round starts after this; a running step finishes. */
  void stop() {
    stopped = true;
  }

  @Override
  public void run() {
    if (stopped) {
      return;
    }
    boolean more;
    try {
      long now = System.currentTimeMillis();
      more = purgeDedupe(db.dsl(), now) | purgeInbox(db.dsl(), now);
    } catch (RuntimeException e) {
      // Failures.toGim logs the cause (rate-limited while the database is down); retry later.
      Failures.toGim(e);
      later();
      return;
    }
    if (more) {
      submit();
    } else {
      later();
    }
  }

  @Override
  public void abandon(GimException why) {
    stopped = true;
  }

  private void later() {
    if (!stopped) {
      CompletableFuture.delayedExecutor(settings.interval().toMillis(), TimeUnit.MILLISECONDS)
          .execute(this::submit);
    }
  }

  private void submit() {
    if (stopped) {
      return;
    }
    try {
      db.execute(this);
    } catch (GimException busyOrClosed) {
      later();
    }
  }

  /** Deletes up to one batch of expired dedupe rows; true when the batch was full. */
  private boolean purgeDedupe(DSLContext ctx, long now) {
    // jOOQ renders the limit per database: DELETE ... LIMIT on MariaDB, a ctid (PostgreSQL) or
    // _rowid_ (H2) subquery elsewhere.
    int deleted =
        ctx.deleteFrom(DEDUPE).where(DEDUPE_EXPIRES_AT.le(now)).limit(settings.batch()).execute();
    if (deleted > 0) {
      LOG.debug("purged {} expired dedupe keys", deleted);
    }
    return deleted >= settings.batch();
  }

  /**
   * Deletes the inbox rows of up to one batch of the oldest expired messages, then those messages
   * once no inbox row refers to them; true when a batch was full.
   */
  private boolean purgeInbox(DSLContext ctx, long now) {
    Duration retention = settings.inboxRetention();
    if (retention == null) {
      return false;
    }
    long cutoff = now - retention.toMillis();
    List<Long> ids =
        ctx.select(MESSAGE_ID)
            .from(MESSAGE)
            .where(MESSAGE_CREATED_AT.lt(cutoff))
            .orderBy(MESSAGE_CREATED_AT, MESSAGE_ID)
            .limit(settings.batch())
            .fetch(MESSAGE_ID);
    if (ids.isEmpty()) {
      return false;
    }
    List<Row2<Long, Long>> rows =
        ctx.select(INBOX_USER, INBOX_SEQ)
            .from(INBOX)
            .where(INBOX_MESSAGE.in(ids))
            .limit(settings.batch())
            .fetch()
            .map(Record2::valuesRow);
    if (!rows.isEmpty()) {
      ctx.deleteFrom(INBOX).where(DSL.row(INBOX_USER, INBOX_SEQ).in(rows)).execute();
    }
    boolean allRowsGone = rows.size() < settings.batch();
    if (allRowsGone) {
      // Inbox rows are written with their message in one transaction and never later, so none
      // can appear for these ids now.
      ctx.deleteFrom(MESSAGE).where(MESSAGE_ID.in(ids)).execute();
    }
    LOG.debug("purged {} inbox entries older than {}", rows.size(), retention);
    return !allRowsGone || ids.size() >= settings.batch();
  }
}
