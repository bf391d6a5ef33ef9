package io.gim.store.jdbc.internal;

import static io.gim.store.jdbc.internal.Tables.*;

import io.gim.spi.GimErrorCode;
import io.gim.spi.GimException;
import io.gim.spi.store.Group;
import io.gim.spi.store.GroupMember;
import io.gim.spi.store.GroupStore;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jooq.DSLContext;
import org.jooq.InsertValuesStep6;
import org.jooq.exception.DataAccessException;

/**
 * A {@link GroupStore} on jOOQ. Each call is one transaction, so a failed membership change changed
 * nothing; the primary key (group_id, user_id) decides between concurrent adds. Thread-safe; no
 * method blocks.
 */
final class JdbcGroupStore implements GroupStore {
  private final Database db;

  JdbcGroupStore(Database db) {
    this.db = db;
  }

  @Override
  public CompletionStage<Long> create(Group group, List<GroupMember> members) {
    GimException invalid = checkDistinct(members);
    if (invalid != null) {
      return CompletableFuture.failedFuture(invalid);
    }
    return db.transaction(
        ctx -> {
          long id;
          try {
            id = group.id() == 0 ? insertWithNewId(ctx, group) : insertWithId(ctx, group);
          } catch (DataAccessException e) {
            if (!Failures.uniqueViolation(e)) {
              throw e;
            }
            if (group.id() == 0) {
              // The identity hit an id a caller chose explicitly; the next one is free.
              throw new Failures.Retry("generated group id taken", e);
            }
            throw new GimException(GimErrorCode.BAD_REQUEST, "group already exists");
          }
          insertMembers(ctx, id, members);
          return id;
        });
  }

  private static long insertWithNewId(DSLContext ctx, Group g) {
    return ctx.insertInto(GROUP, GROUP_NAME, GROUP_AVATAR, GROUP_INTRO, GROUP_EXTRA)
        .values(g.name(), g.avatarUrl(), g.introduction(), g.extra())
        .returningResult(GROUP_ID)
        .fetchOne()
        .value1();
  }

  private static long insertWithId(DSLContext ctx, Group g) {
    ctx.insertInto(GROUP, GROUP_ID, GROUP_NAME, GROUP_AVATAR, GROUP_INTRO, GROUP_EXTRA)
        .values(g.id(), g.name(), g.avatarUrl(), g.introduction(), g.extra())
        .execute();
    return g.id();
  }

  @Override
  public CompletionStage<Void> update(Group group) {
    return db.transaction(
        ctx -> {
          int updated =
              ctx.update(GROUP)
                  .set(GROUP_NAME, group.name())
                  .set(GROUP_AVATAR, group.avatarUrl())
                  .set(GROUP_INTRO, group.introduction())
                  .set(GROUP_EXTRA, group.extra())
                  .where(GROUP_ID.eq(group.id()))
                  .execute();
          // A driver may count only changed rows; an unchanged existing group is no error.
          if (updated == 0) {
            requireGroup(ctx, group.id());
          }
          return null;
        });
  }

  @Override
  public CompletionStage<Optional<Group>> get(long groupId) {
    return db.read(
        ctx ->
            ctx.select(GROUP_NAME, GROUP_AVATAR, GROUP_INTRO, GROUP_EXTRA)
                .from(GROUP)
                .where(GROUP_ID.eq(groupId))
                .fetchOptional(
                    r -> new Group(groupId, r.value1(), r.value2(), r.value3(), r.value4())));
  }

  @Override
  public CompletionStage<Void> addMembers(long groupId, List<GroupMember> members) {
    GimException invalid = checkDistinct(members);
    return db.transaction(
        ctx -> {
          requireGroup(ctx, groupId);
          if (invalid != null) {
            throw invalid;
          }
          try {
            insertMembers(ctx, groupId, members);
          } catch (DataAccessException e) {
            if (Failures.uniqueViolation(e)) {
              throw new GimException(GimErrorCode.ALREADY_IN_GROUP);
            }
            throw e;
          }
          return null;
        });
  }

  @Override
  public CompletionStage<Void> removeMembers(long groupId, Collection<Long> userIds) {
    Set<Long> distinct = new LinkedHashSet<>(userIds);
    return db.transaction(
        ctx -> {
          requireGroup(ctx, groupId);
          if (distinct.isEmpty()) {
            return null;
          }
          int removed =
              ctx.deleteFrom(MEMBER)
                  .where(MEMBER_GROUP.eq(groupId).and(MEMBER_USER.in(distinct)))
                  .execute();
          if (removed != distinct.size()) {
            // Throwing rolls the delete back: all or nothing.
            throw new GimException(GimErrorCode.GROUP_MEMBER_NOT_FOUND);
          }
          return null;
        });
  }

  @Override
  public CompletionStage<List<GroupMember>> members(long groupId) {
    return db.read(
        ctx -> {
          requireGroup(ctx, groupId);
          return ctx.select(MEMBER_USER, MEMBER_NICKNAME, MEMBER_TYPE, MEMBER_STATUS, MEMBER_EXTRA)
              .from(MEMBER)
              .where(MEMBER_GROUP.eq(groupId))
              .orderBy(MEMBER_USER)
              .fetch(
                  r -> new GroupMember(r.value1(), r.value2(), r.value3(), r.value4(), r.value5()));
        });
  }

  private static void requireGroup(DSLContext ctx, long groupId) {
    if (!ctx.fetchExists(GROUP, GROUP_ID.eq(groupId))) {
      throw new GimException(GimErrorCode.GROUP_NOT_FOUND);
    }
  }

  private static void insertMembers(DSLContext ctx, long groupId, List<GroupMember> members) {
    if (members.isEmpty()) {
      return;
    }
    InsertValuesStep6<?, Long, Long, String, Integer, Integer, String> insert =
        ctx.insertInto(
            MEMBER,
            MEMBER_GROUP,
            MEMBER_USER,
            MEMBER_NICKNAME,
            MEMBER_TYPE,
            MEMBER_STATUS,
            MEMBER_EXTRA);
    for (GroupMember m : members) {
      insert = insert.values(groupId, m.userId(), m.nickname(), m.type(), m.status(), m.extra());
    }
    insert.execute();
  }

  private static GimException checkDistinct(List<GroupMember> members) {
    Set<Long> seen = new HashSet<>();
    for (GroupMember m : members) {
      if (!seen.add(m.userId())) {
        return new GimException(GimErrorCode.ALREADY_IN_GROUP);
      }
    }
    return null;
  }
}
