package io.gim.store.redis.internal;

import io.gim.spi.GimErrorCode;
import io.gim.spi.GimException;
import io.gim.spi.store.AppendRequest;
import io.gim.spi.store.AppendResult;
import io.gim.spi.store.DedupeKey;
import io.gim.spi.store.MessageStore;
import io.gim.spi.store.NewMessage;
import io.gim.spi.store.StoredMessage;
import io.gim.spi.store.SyncPage;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The {@link MessageStore} on Redis: one seq counter and one inbox (a sorted set by seq) per user,
 * every key of a user in the user's cluster slot, so that allocating a seq and appending is one
 * script per user and prefix visibility holds.
 *
 * <p>An append whose keys share a slot (always, on a single server) is one atomic script, dedupe
 * check included: it stores everything or nothing. On a cluster, a message for users in several
 * slots is appended by one script per slot, all sent at once; a send with a dedupe key first claims
 * the key (in the sender's slot) and leaves a marker per receiver, so that a retry after a partial
 * failure completes the same message without appending it twice. Such a fan-out is atomic per user,
 * not across users.
 *
 * <p>The message is copied into every receiver's inbox (as GIM's MySQL store does); retention by
 * count and age keeps inboxes bounded. Thread-safe; no method blocks.
 */
public final class RedisMessageStore implements MessageStore {
  /** How long a fan-out may hold a dedupe key before a retry of the same send takes it over. */
  static final Duration LEASE = Duration.ofSeconds(10);

  private static final byte[] ONE = {'1'};
  private static final byte[] ZERO = {'0'};

  private final RedisTarget target;
  private final Keys keys;
  private final Retention retention;
  private final MessageIds ids;
  private final byte[] epochKey;
  private final Script append = Script.load("append", ScriptOutputType.MULTI, "retention");
  private final Script sync = Script.load("sync", ScriptOutputType.MULTI, "retention");
  private final Script ack = Script.load("ack", ScriptOutputType.INTEGER);
  private final Script claim = Script.load("claim", ScriptOutputType.MULTI);
  private final Script finish = Script.load("finish", ScriptOutputType.INTEGER);

  /**
   * How long inbox entries are kept.
   *
   * @param maxEntries the most entries one inbox keeps (the oldest go first); 0 for no cap
   * @param maxAge how long an entry is kept after its {@code createdAtMillis}; null for ever
   */
  public record Retention(int maxEntries, Duration maxAge) {
    public Retention {
      if (maxEntries < 0) {
        throw new IllegalArgumentException(
            "maxEntries: " + maxEntries + " (expected: 0 for no cap, or more)");
      }
      if (maxAge != null && (maxAge.isNegative() || maxAge.isZero())) {
        throw new IllegalArgumentException("maxAge: " + maxAge + " (expected: positive, or null)");
      }
    }

    /** Keeps every entry for ever, as GIM does. */
    public static final Retention FOREVER = new Retention(0, null);
  }

  /** Creates the store on {@code target}, making the store's epoch if it has none yet. */
  public RedisMessageStore(RedisTarget target, Keys keys, Retention retention) {
    this.target = target;
    this.keys = keys;
    this.retention = retention;
    this.ids = new MessageIds(target, keys.global("message-id"), 1_000);
    this.epochKey = keys.global("epoch");
  }

  /** The store's epoch, made now if Redis has none (first start, or its data was lost). */
  public CompletableFuture<Long> epoch() {
    byte[] candidate = Keys.number(ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE));
    return target
        .call(c -> c.setGet(epochKey, candidate, SetArgs.Builder.nx()))
        .thenApply(previous -> Keys.parse(previous == null ? candidate : previous));
  }

  @Override
  public CompletableFuture<AppendResult> append(AppendRequest request) {
    return ids.next()
        .thenCompose(
            messageId -> {
              if (!target.cluster() || oneSlot(request)) {
                return appendAtOnce(request, messageId);
              }
              return request.dedupe() == null
                  ? fanOut(request, messageId, request.message().createdAtMillis(), false)
                      .thenApply(seqs -> result(messageId, request, seqs))
                  : claimThenFanOut(request, messageId);
            });
  }

  private boolean oneSlot(AppendRequest request) {
    int slot = target.slot(keys.user(request.userIds().get(0), "seq"));
    if (request.dedupe() != null
        && target.slot(keys.user(request.dedupe().userId(), "seq")) != slot) {
      return false;
    }
    for (long user : request.userIds()) {
      if (target.slot(keys.user(user, "seq")) != slot) {
        return false;
      }
    }
    return true;
  }

  /** One script for every key: the dedupe check, each user's seq and entry, the dedupe record. */
  private CompletableFuture<AppendResult> appendAtOnce(AppendRequest request, long messageId) {
    DedupeKey dedupe = request.dedupe();
    List<byte[]> scriptKeys = new ArrayList<>();
    if (dedupe != null) {
      scriptKeys.add(dedupeKey(dedupe));
    }
    for (long user : request.userIds()) {
      scriptKeys.add(keys.user(user, "seq"));
      scriptKeys.add(keys.user(user, "inbox"));
    }
    long createdAt = request.message().createdAtMillis();
    byte[] window =
        dedupe == null ? ZERO : Keys.number(Math.max(1, request.dedupeWindow().toMillis()));
    return append
        .<List<Object>>run(
            target,
            scriptKeys.toArray(byte[][]::new),
            appendArgs(dedupe != null, false, window, messageId, createdAt, request))
        .thenCompose(
            reply -> {
              if (Keys.parse(reply.get(0)) == 0) {
                return seen(request, new String((byte[]) reply.get(1), StandardCharsets.UTF_8));
              }
              return CompletableFuture.completedFuture(
                  result(messageId, request, seqsOf(request.userIds(), reply.get(1))));
            });
  }

  /**
   * The dedupe key was present: a finished send gives its result as a duplicate; one that is still
   * fanning out (a cluster send of the same key) is waited for or taken over.
   */
  private CompletableFuture<AppendResult> seen(AppendRequest request, String value) {
    if (value.startsWith("d:")) {
      return CompletableFuture.completedFuture(duplicate(request.dedupe(), value));
    }
    return claimThenFanOut(request, Long.parseLong(value.split(":")[1]));
  }

  /** Cluster fan-out of a send with a dedupe key: claim, append per slot, record the result. */
  private CompletableFuture<AppendResult> claimThenFanOut(AppendRequest request, long messageId) {
    DedupeKey dedupe = request.dedupe();
    byte[] key = dedupeKey(dedupe);
    long window = Math.max(1, request.dedupeWindow().toMillis());
    long createdAt = request.message().createdAtMillis();
    return claim
        .<List<Object>>run(
            target,
            new byte[][] {key},
            Keys.bytes(messageId + ":" + createdAt),
            Keys.number(window),
            Keys.number(LEASE.toMillis()))
        .thenCompose(
            reply -> {
              String state = new String((byte[]) reply.get(0), StandardCharsets.UTF_8);
              String value =
                  reply.size() > 1 ? new String((byte[]) reply.get(1), StandardCharsets.UTF_8) : "";
              switch (state) {
                case "done":
                  return CompletableFuture.completedFuture(duplicate(dedupe, value));
                case "wait":
                  // Another attempt of the same send is fanning out: look again shortly.
                  return CompletableFuture.supplyAsync(
                          () -> null, CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS))
                      .thenCompose(ignored -> claimThenFanOut(request, messageId));
                case "takeover":
                  String[] parts = value.split(":");
                  return fanOutClaimed(
                      request, key, Long.parseLong(parts[1]), Long.parseLong(parts[2]));
                default:
                  return fanOutClaimed(request, key, messageId, createdAt);
              }
            });
  }

  private CompletableFuture<AppendResult> fanOutClaimed(
      AppendRequest request, byte[] key, long messageId, long createdAt) {
    return fanOut(request, messageId, createdAt, true)
        .handle(
            (seqs, failure) -> {
              String value =
                  failure != null
                      ? "p:" + messageId + ":" + createdAt + ":0"
                      : "d:"
                          + messageId
                          + ":"
                          + createdAt
                          + ":"
                          + seqs.getOrDefault(request.dedupe().userId(), 0L);
              CompletableFuture<Long> recorded =
                  finish.run(target, new byte[][] {key}, Keys.number(messageId), Keys.bytes(value));
              if (failure != null) {
                // Best effort: a failed record only makes a retry wait for the lease to end.
                return CompletableFuture.<AppendResult>failedFuture(RedisFailures.toGim(failure));
              }
              return recorded.thenApply(
                  ignored -> new AppendResult(messageId, createdAt, seqs, false));
            })
        .thenCompose(f -> f);
  }

  /**
   * One script per cluster slot, all sent at once; each user's seqs keyed by user. With {@code
   * markers}, a user who already got {@code messageId} keeps the seq it got (a retry finishing a
   * fan-out that failed half-way). Package-private for the test that replays such a failure.
   */
  CompletableFuture<Map<Long, Long>> fanOut(
      AppendRequest request, long messageId, long createdAt, boolean markers) {
    Map<Integer, List<Long>> bySlot = new LinkedHashMap<>();
    for (long user : request.userIds()) {
      bySlot.computeIfAbsent(target.slot(keys.user(user, "seq")), s -> new ArrayList<>()).add(user);
    }
    byte[] window = markers ? Keys.number(Math.max(1, request.dedupeWindow().toMillis())) : ZERO;
    // The same arguments (the entry's tail holds the content) for every slot's script.
    byte[][] args = appendArgs(false, markers, window, messageId, createdAt, request);
    List<CompletableFuture<Map<Long, Long>>> parts = new ArrayList<>();
    for (List<Long> users : bySlot.values()) {
      List<byte[]> scriptKeys = new ArrayList<>();
      for (long user : users) {
        scriptKeys.add(keys.user(user, "seq"));
        scriptKeys.add(keys.user(user, "inbox"));
        if (markers) {
          scriptKeys.add(keys.user(user, "message:" + messageId));
        }
      }
      parts.add(
          append
              .<List<Object>>run(target, scriptKeys.toArray(byte[][]::new), args)
              .thenApply(reply -> seqsOf(users, reply.get(1))));
    }
    return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
        .thenApply(
            ignored -> {
              Map<Long, Long> seqs = new HashMap<>();
              parts.forEach(p -> seqs.putAll(p.join()));
              return seqs;
            });
  }

  private byte[][] appendArgs(
      boolean dedupe,
      boolean markers,
      byte[] window,
      long messageId,
      long createdAt,
      AppendRequest request) {
    int sender =
        request.dedupe() == null ? -1 : request.userIds().indexOf(request.dedupe().userId());
    long cutoff =
        retention.maxAge() == null ? 0 : System.currentTimeMillis() - retention.maxAge().toMillis();
    long lifetime = retention.maxAge() == null ? 0 : retention.maxAge().toMillis();
    return new byte[][] {
      dedupe ? ONE : ZERO,
      markers ? ONE : ZERO,
      window,
      Keys.number(messageId),
      Keys.number(createdAt),
      tail(messageId, request.message()),
      Keys.number(retention.maxEntries()),
      Keys.number(Math.max(0, cutoff)),
      Keys.number(lifetime),
      Keys.number(sender + 1)
    };
  }

  /** The binary end of an inbox entry: message id, sender, device, command, content. */
  private static byte[] tail(long messageId, NewMessage m) {
    return ByteBuffer.allocate(28 + m.content().length)
        .putLong(messageId)
        .putLong(m.senderUserId())
        .putLong(m.senderDeviceId())
        .putInt(m.command())
        .put(m.content())
        .array();
  }

  /** An inbox entry, {@code <seq>:<createdAt>:<tail>}. */
  private static StoredMessage entry(byte[] member) {
    int first = indexOf(member, 0);
    int second = indexOf(member, first + 1);
    long seq = Long.parseLong(new String(member, 0, first, StandardCharsets.US_ASCII));
    long createdAt =
        Long.parseLong(
            new String(member, first + 1, second - first - 1, StandardCharsets.US_ASCII));
    ByteBuffer tail = ByteBuffer.wrap(member, second + 1, member.length - second - 1);
    long messageId = tail.getLong();
    long sender = tail.getLong();
    long device = tail.getLong();
    int command = tail.getInt();
    byte[] content = new byte[tail.remaining()];
    tail.get(content);
    return new StoredMessage(messageId, seq, sender, device, command, content, createdAt);
  }

  private static int indexOf(byte[] bytes, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == ':') {
        return i;
      }
    }
    throw new IllegalStateException("not an inbox entry: no ':' after byte " + from);
  }

  @SuppressWarnings("unchecked")
  private static Map<Long, Long> seqsOf(List<Long> users, Object reply) {
    List<Object> seqs = (List<Object>) reply;
    Map<Long, Long> byUser = new HashMap<>();
    for (int i = 0; i < users.size(); i++) {
      byUser.put(users.get(i), Keys.parse(seqs.get(i)));
    }
    return byUser;
  }

  private static AppendResult result(long messageId, AppendRequest request, Map<Long, Long> seqs) {
    return new AppendResult(messageId, request.message().createdAtMillis(), seqs, false);
  }

  /** The first send's result from its dedupe record {@code d:<id>:<createdAt>:<sender seq>}. */
  private static AppendResult duplicate(DedupeKey dedupe, String record) {
    String[] parts = record.split(":");
    long senderSeq = Long.parseLong(parts[3]);
    return new AppendResult(
        Long.parseLong(parts[1]),
        Long.parseLong(parts[2]),
        senderSeq > 0 ? Map.of(dedupe.userId(), senderSeq) : Map.of(),
        true);
  }

  byte[] dedupeKey(DedupeKey dedupe) {
    return keys.user(
        dedupe.userId(),
        "dedupe:" + Long.toUnsignedString(dedupe.deviceId()) + ":",
        dedupe.clientMsgId().getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public CompletableFuture<SyncPage> sync(long userId, long afterSeq, int limit) {
    if (limit < 1) {
      return CompletableFuture.failedFuture(
          new GimException(GimErrorCode.BAD_REQUEST, "limit: " + limit + " (expected: 1 or more)"));
    }
    CompletableFuture<Long> epoch = epoch();
    if (afterSeq < 0) {
      // Above 2^63 as an unsigned seq: past every seq a store hands out.
      return epoch.thenApply(e -> new SyncPage(List.of(), false, e));
    }
    long cutoff =
        retention.maxAge() == null
            ? 0
            : Math.max(0, System.currentTimeMillis() - retention.maxAge().toMillis());
    CompletableFuture<List<Object>> page =
        sync.run(
            target,
            new byte[][] {keys.user(userId, "inbox")},
            Keys.number(afterSeq),
            Keys.number((long) limit + 1),
            Keys.number(cutoff));
    return page.thenCombine(
        epoch,
        (members, e) -> {
          List<StoredMessage> messages = new ArrayList<>(Math.min(members.size(), limit));
          for (int i = 0; i < members.size() && i < limit; i++) {
            messages.add(entry((byte[]) members.get(i)));
          }
          return new SyncPage(messages, members.size() > limit, e);
        });
  }

  @Override
  public CompletableFuture<Void> ack(long userId, long deviceId, long seq) {
    // An unsigned seq above 2^63 is above every seq: the clamp makes it the user's largest.
    long value = seq < 0 ? Long.MAX_VALUE : seq;
    return ack.<Long>run(
            target,
            new byte[][] {keys.user(userId, "seq"), keys.user(userId, "acks")},
            Keys.bytes(Long.toUnsignedString(deviceId)),
            Keys.number(value))
        .thenApply(ignored -> null);
  }

  @Override
  public CompletableFuture<Long> maxAck(long userId) {
    return target
        .call(c -> c.hvals(keys.user(userId, "acks")))
        .thenApply(values -> values.stream().mapToLong(Keys::parse).max().orElse(0));
  }
}
