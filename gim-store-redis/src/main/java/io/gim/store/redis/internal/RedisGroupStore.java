package io.gim.store.redis.internal;

import io.gim.spi.GimErrorCode;
import io.gim.spi.GimException;
import io.gim.spi.store.Group;
import io.gim.spi.store.GroupMember;
import io.gim.spi.store.GroupStore;
import io.lettuce.core.ScriptOutputType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The {@link GroupStore} on Redis. A group is two hashes in its own cluster slot (tag {@code
 * {g:<id>}}): {@code group} holds the profile, {@code members} maps each user id to the packed
 * member. Every change is one script over those two keys that checks everything before its first
 * write, so a refused or failed call changed nothing and concurrent calls on a group are serialized
 * by Redis. New ids come from a counter in the store's global slot; an id a caller took explicitly
 * is skipped.
 *
 * <p>Members are kept unordered and sorted by user id when read. Thread-safe; no method blocks.
 */
public final class RedisGroupStore implements GroupStore {
  private static final Comparator<GroupMember> BY_USER =
      Comparator.comparingLong(GroupMember::userId);

  private final RedisTarget target;
  private final Keys keys;
  private final byte[] idKey;
  private final Script create = Script.load("group-create", ScriptOutputType.INTEGER, "chunks");
  private final Script update = Script.load("group-update", ScriptOutputType.INTEGER);
  private final Script add = Script.load("group-add", ScriptOutputType.INTEGER, "chunks");
  private final Script remove = Script.load("group-remove", ScriptOutputType.INTEGER, "chunks");
  private final Script members = Script.load("group-members", ScriptOutputType.MULTI);

  public RedisGroupStore(RedisTarget target, Keys keys) {
    this.target = target;
    this.keys = keys;
    this.idKey = keys.global("group-id");
  }

  @Override
  public CompletableFuture<Long> create(Group group, List<GroupMember> initial) {
    if (!distinct(initial)) {
      return CompletableFuture.failedFuture(new GimException(GimErrorCode.ALREADY_IN_GROUP));
    }
    if (group.id() != 0) {
      return tryCreate(group.id(), group, initial)
          .thenApply(
              created -> {
                if (!created) {
                  throw new GimException(GimErrorCode.BAD_REQUEST, "group already exists");
                }
                return group.id();
              });
    }
    return createWithNewId(group, initial);
  }

  private CompletableFuture<Long> createWithNewId(Group group, List<GroupMember> initial) {
    return target
        .call(c -> c.incr(idKey))
        .thenCompose(
            id ->
                tryCreate(id, group, initial)
                    // Taken by a caller's explicit id: the counter has moved on, take the next.
                    .thenCompose(
                        created ->
                            created
                                ? CompletableFuture.completedFuture(id)
                                : createWithNewId(group, initial)));
  }

  private CompletableFuture<Boolean> tryCreate(long id, Group group, List<GroupMember> initial) {
    byte[][] args = new byte[4 + 2 * initial.size()][];
    profile(group, args);
    int i = 4;
    for (GroupMember m : initial) {
      args[i++] = userField(m.userId());
      args[i++] = pack(m);
    }
    return create.<Long>run(target, groupKeys(id), args).thenApply(created -> created == 1);
  }

  @Override
  public CompletableFuture<Void> update(Group group) {
    byte[][] args = new byte[4][];
    profile(group, args);
    return update
        .<Long>run(target, groupKeys(group.id()), args)
        .thenApply(
            updated -> {
              if (updated == 0) {
                throw new GimException(GimErrorCode.GROUP_NOT_FOUND);
              }
              return null;
            });
  }

  @Override
  public CompletableFuture<Optional<Group>> get(long groupId) {
    return target
        .call(c -> c.hgetall(keys.group(groupId, "group")))
        .thenApply(
            fields -> fields.isEmpty() ? Optional.empty() : Optional.of(group(groupId, fields)));
  }

  @Override
  public CompletableFuture<Void> addMembers(long groupId, List<GroupMember> added) {
    // Users listed twice are refused by the script, after the group's existence: that order of
    // checks gives the same code as the other stores.
    byte[][] args = new byte[2 * added.size()][];
    int i = 0;
    for (GroupMember m : added) {
      args[i++] = userField(m.userId());
      args[i++] = pack(m);
    }
    return add.<Long>run(target, groupKeys(groupId), args).thenApply(RedisGroupStore::outcome);
  }

  @Override
  public CompletableFuture<Void> removeMembers(long groupId, Collection<Long> userIds) {
    // Naming a member twice removes it once, as the other stores do.
    Set<Long> distinct = new LinkedHashSet<>(userIds);
    byte[][] args = distinct.stream().map(RedisGroupStore::userField).toArray(byte[][]::new);
    return remove.<Long>run(target, groupKeys(groupId), args).thenApply(RedisGroupStore::outcome);
  }

  @Override
  @SuppressWarnings("unchecked")
  public CompletableFuture<List<GroupMember>> members(long groupId) {
    return members
        .<List<Object>>run(target, groupKeys(groupId))
        .thenApply(
            reply -> {
              if (Keys.parse(reply.get(0)) == 0) {
                throw new GimException(GimErrorCode.GROUP_NOT_FOUND);
              }
              List<Object> flat = (List<Object>) reply.get(1);
              List<GroupMember> list = new ArrayList<>(flat.size() / 2);
              for (int i = 0; i + 1 < flat.size(); i += 2) {
                list.add(unpack((byte[]) flat.get(i), (byte[]) flat.get(i + 1)));
              }
              list.sort(BY_USER);
              return list;
            });
  }

  private byte[][] groupKeys(long groupId) {
    return new byte[][] {keys.group(groupId, "group"), keys.group(groupId, "members")};
  }

  private static Void outcome(long code) {
    if (code == 0) {
      throw new GimException(GimErrorCode.GROUP_NOT_FOUND);
    }
    if (code == -1) {
      throw new GimException(GimErrorCode.ALREADY_IN_GROUP);
    }
    if (code == -2) {
      throw new GimException(GimErrorCode.GROUP_MEMBER_NOT_FOUND);
    }
    return null;
  }

  private static void profile(Group g, byte[][] args) {
    args[0] = Keys.bytes(g.name());
    args[1] = Keys.bytes(g.avatarUrl());
    args[2] = Keys.bytes(g.introduction());
    args[3] = Keys.bytes(g.extra());
  }

  private static Group group(long groupId, Map<byte[], byte[]> fields) {
    // The codec's map is keyed by array identity: look the fields up by their text.
    String name = "";
    String avatar = "";
    String intro = "";
    String extra = "";
    for (Map.Entry<byte[], byte[]> e : fields.entrySet()) {
      String value = new String(e.getValue(), StandardCharsets.UTF_8);
      switch (new String(e.getKey(), StandardCharsets.UTF_8)) {
        case "name" -> name = value;
        case "avatar" -> avatar = value;
        case "intro" -> intro = value;
        case "extra" -> extra = value;
        default -> {}
      }
    }
    return new Group(groupId, name, avatar, intro, extra);
  }

  /** A user id as its member field: signed decimal text, a string to the scripts. */
  private static byte[] userField(long userId) {
    return Keys.number(userId);
  }

  private static byte[] pack(GroupMember m) {
    return new Packed.Writer()
        .putInt(m.type())
        .putInt(m.status())
        .putString(m.nickname())
        .putString(m.extra())
        .toBytes();
  }

  private static GroupMember unpack(byte[] field, byte[] value) {
    Packed.Reader r = new Packed.Reader(value);
    int type = r.getInt();
    int status = r.getInt();
    String nickname = r.getString();
    return new GroupMember(Keys.parse(field), nickname, type, status, r.getString());
  }

  private static boolean distinct(List<GroupMember> list) {
    Set<Long> seen = new HashSet<>();
    for (GroupMember m : list) {
      if (!seen.add(m.userId())) {
        return false;
      }
    }
    return true;
  }
}
