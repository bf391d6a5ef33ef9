package io.gim.examples.business;

import static io.gim.examples.business.Schema.FRIEND;
import static io.gim.examples.business.Schema.FRIEND_CREATED;
import static io.gim.examples.business.Schema.FRIEND_EXTRA;
import static io.gim.examples.business.Schema.FRIEND_FRIEND;
import static io.gim.examples.business.Schema.FRIEND_REMARKS;
import static io.gim.examples.business.Schema.FRIEND_STATUS;
import static io.gim.examples.business.Schema.FRIEND_UPDATED;
import static io.gim.examples.business.Schema.FRIEND_USER;
import static io.gim.examples.business.Schema.USER;
import static io.gim.examples.business.Schema.USER_ID;

import io.gim.spi.GimErrorCode;
import io.gim.spi.GimException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.exception.DataAccessException;

/**
 * Friend relations in {@code biz_friend}: one row per direction, {@code (user_id, friend_id)}, as
 * in GIM. An application is the applicant's row in status {@link #APPLIED}; agreeing turns it into
 * {@link #AGREED} and adds the other direction, in one transaction.
 *
 * <p>Thread-safe; no method blocks.
 */
final class FriendRepository {
  /** GIM's status numbers. */
  static final int APPLIED = 0;

  static final int AGREED = 1;

  /** At most this many friends are listed. */
  static final int MAX_FRIENDS = 5_000;

  private final BusinessDb db;
  private final Clock clock;

  FriendRepository(BusinessDb db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** A friend with the profile of that user and what the owner of the list noted about them. */
  record Friend(UserRecord user, String remarks, String extra) {}

  /**
   * Records that {@code userId} asks {@code friendId} to be friends. True if this created the
   * application; false if it existed already (a no-op, as in GIM). Fails with ALREADY_FRIENDS
   * (10211) if they are friends.
   */
  CompletionStage<Boolean> apply(long userId, long friendId, String remarks) {
    return db.read(
        ctx -> {
          Optional<Integer> status = status(ctx, userId, friendId);
          if (status.isPresent()) {
            if (status.get() == AGREED) {
              throw new GimException(GimErrorCode.ALREADY_FRIENDS);
            }
            return false;
          }
          long now = clock.millis();
          try {
            insert(ctx, userId, friendId, remarks, APPLIED, now);
            return true;
          } catch (DataAccessException e) {
            if (BusinessDb.uniqueViolation(e)) {
              return false; // a concurrent Add of the same pair won
            }
            throw e;
          }
        });
  }

  /**
   * {@code userId} agrees to the application of {@code applicantId}: both directions become friends
   * in one transaction. True if this made them friends; false if they were already. Fails with
   * FRIEND_NOT_FOUND (10210) when there is no such application.
   */
  CompletionStage<Boolean> agree(long userId, long applicantId, String remarks) {
    return db.transaction(
        ctx -> {
          Integer status =
              ctx.select(FRIEND_STATUS)
                  .from(FRIEND)
                  .where(FRIEND_USER.eq(applicantId).and(FRIEND_FRIEND.eq(userId)))
                  .forUpdate()
                  .fetchOne(FRIEND_STATUS);
          if (status == null) {
            throw new GimException(GimErrorCode.FRIEND_NOT_FOUND, "no friend request");
          }
          if (status == AGREED) {
            return false;
          }
          long now = clock.millis();
          ctx.update(FRIEND)
              .set(FRIEND_STATUS, AGREED)
              .set(FRIEND_UPDATED, now)
              .where(FRIEND_USER.eq(applicantId).and(FRIEND_FRIEND.eq(userId)))
              .execute();
          // The agreeing side may have applied too: its row then exists, in status APPLIED.
          int updated =
              ctx.update(FRIEND)
                  .set(FRIEND_STATUS, AGREED)
                  .set(FRIEND_REMARKS, remarks)
                  .set(FRIEND_UPDATED, now)
                  .where(FRIEND_USER.eq(userId).and(FRIEND_FRIEND.eq(applicantId)))
                  .execute();
          if (updated == 0) {
            insert(ctx, userId, applicantId, remarks, AGREED, now);
          }
          return true;
        });
  }

  /**
   * Sets what {@code userId} notes about the friend {@code friendId}; fails with FRIEND_NOT_FOUND
   * (10210) unless they are friends.
   */
  CompletionStage<Void> set(long userId, long friendId, String remarks, String extra) {
    return db.read(
        ctx -> {
          int updated =
              ctx.update(FRIEND)
                  .set(FRIEND_REMARKS, remarks)
                  .set(FRIEND_EXTRA, extra)
                  .set(FRIEND_UPDATED, clock.millis())
                  .where(
                      FRIEND_USER
                          .eq(userId)
                          .and(FRIEND_FRIEND.eq(friendId))
                          .and(FRIEND_STATUS.eq(AGREED)))
                  .execute();
          if (updated != 1) {
            throw new GimException(GimErrorCode.FRIEND_NOT_FOUND);
          }
          return null;
        });
  }

  /** Whether {@code userId} and {@code friendId} are friends. */
  CompletionStage<Boolean> areFriends(long userId, long friendId) {
    return db.read(ctx -> status(ctx, userId, friendId).filter(s -> s == AGREED).isPresent());
  }

  /** The agreed friends of {@code userId} with their profiles, by user id. */
  CompletionStage<List<Friend>> friends(long userId) {
    return db.read(
        ctx ->
            ctx.select(friendFields())
                .from(FRIEND)
                .join(USER)
                .on(USER_ID.eq(FRIEND_FRIEND))
                .where(FRIEND_USER.eq(userId).and(FRIEND_STATUS.eq(AGREED)))
                .orderBy(FRIEND_FRIEND)
                .limit(MAX_FRIENDS)
                .fetch(
                    r ->
                        new Friend(
                            UserRepository.of(r), r.get(FRIEND_REMARKS), r.get(FRIEND_EXTRA))));
  }

  private static List<Field<?>> friendFields() {
    List<Field<?>> fields = new ArrayList<>(Schema.USER_FIELDS);
    fields.add(FRIEND_REMARKS);
    fields.add(FRIEND_EXTRA);
    return fields;
  }

  private static Optional<Integer> status(DSLContext ctx, long userId, long friendId) {
    return ctx.select(FRIEND_STATUS)
        .from(FRIEND)
        .where(FRIEND_USER.eq(userId).and(FRIEND_FRIEND.eq(friendId)))
        .fetchOptional(FRIEND_STATUS);
  }

  private static void insert(
      DSLContext ctx, long userId, long friendId, String remarks, int status, long now) {
    ctx.insertInto(
            FRIEND,
            FRIEND_USER,
            FRIEND_FRIEND,
            FRIEND_REMARKS,
            FRIEND_EXTRA,
            FRIEND_STATUS,
            FRIEND_CREATED,
            FRIEND_UPDATED)
        .values(userId, friendId, remarks, "", status, now, now)
        .execute();
  }
}
