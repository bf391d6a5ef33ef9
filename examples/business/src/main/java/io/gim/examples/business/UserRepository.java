package io.gim.examples.business;

import static io.gim.examples.business.Schema.USER;
import static io.gim.examples.business.Schema.USER_AVATAR;
import static io.gim.examples.business.Schema.USER_CREATED;
import static io.gim.examples.business.Schema.USER_EXTRA;
import static io.gim.examples.business.Schema.USER_FIELDS;
import static io.gim.examples.business.Schema.USER_ID;
import static io.gim.examples.business.Schema.USER_NICKNAME;
import static io.gim.examples.business.Schema.USER_PHONE;
import static io.gim.examples.business.Schema.USER_SEX;
import static io.gim.examples.business.Schema.USER_UPDATED;

import java.time.Clock;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.exception.DataAccessException;

/**
 * Users in {@code biz_user}. Thread-safe; no method blocks (the work runs on {@link BusinessDb}'s
 * threads).
 */
final class UserRepository {
  private final BusinessDb db;
  private final Clock clock;

  UserRepository(BusinessDb db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** The result of {@link #signUp}: the user, and whether this call created it. */
  record SignUp(UserRecord user, boolean created) {}

  /**
   * The user with this phone number, created (with empty profile) if there is none. Two concurrent
   * first sign-ins of one number create one user: the loser of the race reads the winner's row.
   */
  CompletionStage<SignUp> signUp(String phoneNumber) {
    return db.read(
        ctx -> {
          Optional<UserRecord> existing = byPhone(ctx, phoneNumber);
          if (existing.isPresent()) {
            return new SignUp(existing.get(), false);
          }
          long now = clock.millis();
          try {
            long id =
                ctx.insertInto(
                        USER,
                        USER_PHONE,
                        USER_NICKNAME,
                        USER_SEX,
                        USER_AVATAR,
                        USER_EXTRA,
                        USER_CREATED,
                        USER_UPDATED)
                    .values(phoneNumber, "", 0, "", "", now, now)
                    .returningResult(USER_ID)
                    .fetchOne()
                    .value1();
            return new SignUp(new UserRecord(id, phoneNumber, "", 0, "", "", now, now), true);
          } catch (DataAccessException e) {
            if (BusinessDb.uniqueViolation(e)) {
              return new SignUp(byPhone(ctx, phoneNumber).orElseThrow(() -> e), false);
            }
            throw e;
          }
        });
  }

  /** The user, or empty. */
  CompletionStage<Optional<UserRecord>> get(long userId) {
    return db.read(
        ctx ->
            ctx.select(USER_FIELDS)
                .from(USER)
                .where(USER_ID.eq(userId))
                .fetchOptional(UserRepository::of));
  }

  /** The users among {@code userIds} that exist, by id (in ascending id order). */
  CompletionStage<Map<Long, UserRecord>> getAll(Collection<Long> userIds) {
    if (userIds.isEmpty()) {
      return db.read(ctx -> Map.of());
    }
    return db.read(ctx -> getAll(ctx, userIds));
  }

  static Map<Long, UserRecord> getAll(DSLContext ctx, Collection<Long> userIds) {
    Map<Long, UserRecord> users = new LinkedHashMap<>();
    ctx.select(USER_FIELDS)
        .from(USER)
        .where(USER_ID.in(userIds))
        .orderBy(USER_ID)
        .forEach(r -> users.put(r.get(USER_ID), of(r)));
    return users;
  }

  /** Replaces the profile of an existing user; false if there is no such user. */
  CompletionStage<Boolean> update(long userId, UserRecord.Profile p) {
    return db.read(
        ctx ->
            ctx.update(USER)
                    .set(USER_NICKNAME, p.nickname())
                    .set(USER_SEX, p.sex())
                    .set(USER_AVATAR, p.avatarUrl())
                    .set(USER_EXTRA, p.extra())
                    .set(USER_UPDATED, clock.millis())
                    .where(USER_ID.eq(userId))
                    .execute()
                == 1);
  }

  /**
   * Users whose phone number is {@code key} or whose nickname starts with it, by id, at most {@code
   * limit}.
   */
  CompletionStage<List<UserRecord>> search(String key, int limit) {
    String prefix = escapeLike(key) + "%";
    return db.read(
        ctx ->
            ctx.select(USER_FIELDS)
                .from(USER)
                .where(USER_PHONE.eq(key).or(USER_NICKNAME.like(prefix, '!')))
                .orderBy(USER_ID)
                .limit(limit)
                .fetch(UserRepository::of));
  }

  private static Optional<UserRecord> byPhone(DSLContext ctx, String phoneNumber) {
    return ctx.select(USER_FIELDS)
        .from(USER)
        .where(USER_PHONE.eq(phoneNumber))
        .fetchOptional(UserRepository::of);
  }

  /** {@code text} with LIKE's wildcards and the escape character itself escaped by {@code !}. */
  static String escapeLike(String text) {
    return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
  }

  static UserRecord of(Record r) {
    return new UserRecord(
        r.get(USER_ID),
        r.get(USER_PHONE),
        r.get(USER_NICKNAME),
        r.get(USER_SEX),
        r.get(USER_AVATAR),
        r.get(USER_EXTRA),
        r.get(USER_CREATED),
        r.get(USER_UPDATED));
  }
}
