package io.gim.core.memory;

import static java.util.concurrent.CompletableFuture.completedFuture;
import static java.util.concurrent.CompletableFuture.failedFuture;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Scheduler;
import io.gim.spi.GimErrorCode;
import io.gim.spi.GimException;
import io.gim.spi.store.AppendRequest;
import io.gim.spi.store.AppendResult;
import io.gim.spi.store.DedupeKey;
import io.gim.spi.store.MessageStore;
import io.gim.spi.store.NewMessage;
import io.gim.spi.store.StoredMessage;
import io.gim.spi.store.SyncPage;
import java.lang.ref.WeakReference;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link MessageStore} on the heap; thread-safe, and no method blocks: every stage is complete
 * when returned. Appends take short per-user locks and never wait on IO.
 *
 * <p>Seqs start at 1 per user and are contiguous. A message is stored once, as a record packed into
 * a shared chunk of bytes ({@link MessageArena}); every inbox entry refers to that record, so the
 * collector traces a few large arrays rather than objects per message, and sync returns copies of
 * the content. Inboxes are kept for ever unless made {@link #withInboxRetention with a retention},
 * so this store suits a single node, tests and demos rather than long-lived production data.
 * Send-dedupe keys go when their window ends, removed by the JDK's shared scheduler thread; the
 * store owns no thread and pins none.
 */
public final class InMemoryMessageStore implements MessageStore {
  /** Caffeine's own ceiling for an expiry, so that a huge window does not overflow. */
  private static final long MAX_WINDOW_NANOS = Long.MAX_VALUE >> 1;

  private static final long MIN_SWEEP_MILLIS = 100;
  private static final long MAX_SWEEP_MILLIS = 60_000;

  private final ConcurrentHashMap<Long, Inbox> inboxes = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Long, ConcurrentHashMap<Long, Long>> acks =
      new ConcurrentHashMap<>();
  private final AtomicLong lastMessageId = new AtomicLong();
  private final MessageArena arena = new MessageArena();
  private final Cache<SendId, Remembered> dedupe;
  private final long epoch;
  private final long retentionMillis;

  /** An empty store with a fresh random epoch, keeping messages for ever; thread-safe. */
  public InMemoryMessageStore() {
    this(0);
  }

  private InMemoryMessageStore(long retentionMillis) {
    this.epoch = randomNonZero();
    this.retentionMillis = retentionMillis;
    // Runnable::run keeps Caffeine's clean-up on the calling threads: this store owns no threads.
    // The system scheduler wakes it when a key expires, so that idle keys do not linger; Caffeine
    // holds the cache weakly there.
    this.dedupe =
        Caffeine.newBuilder()
            .executor(Runnable::run)
            .scheduler(Scheduler.systemScheduler())
            .expireAfter(new WindowExpiry())
            .build();
  }

  /**
   * An empty store that keeps each message for {@code maxAge} from its {@code createdAtMillis};
   * thread-safe, non-blocking. Older entries go oldest first from each inbox, in batches of at most
   * 1,000: when that inbox is synced, every 64 appends to it, and in a sweep of every inbox each
   * half retention (at least 100 ms, at most a minute) on the JDK's shared scheduler (which holds
   * this store weakly). Records share chunks, so a chunk lives until its last entry is purged:
   * memory holds about the retention plus half of it of the messages written. Purged seqs are
   * simply not returned by sync, seqs never go back (the next append continues after the largest
   * seq given) and acks keep their values. An entry is purged only once every entry before it in
   * its inbox has expired.
   */
  public static InMemoryMessageStore withInboxRetention(Duration maxAge) {
    Objects.requireNonNull(maxAge, "maxAge");
    if (maxAge.toMillis() <= 0) {
      throw new IllegalArgumentException("maxAge: " + maxAge + " (expected: > 0 ms)");
    }
    InMemoryMessageStore store = new InMemoryMessageStore(maxAge.toMillis());
    long sweepMillis =
        Math.min(Math.max(maxAge.toMillis() / 2, MIN_SWEEP_MILLIS), MAX_SWEEP_MILLIS);
    scheduleSweep(new WeakReference<>(store), sweepMillis);
    return store;
  }

  /** Entries held in the inbox of {@code userId}, expired or not yet purged; for tests. */
  int entriesHeld(long userId) {
    Inbox inbox = inboxes.get(userId);
    if (inbox == null) {
      return 0;
    }
    inbox.lock.lock();
    try {
      return inbox.size;
    } finally {
      inbox.lock.unlock();
    }
  }

  /** Full-size chunks the arena took again from its pool; for tests. */
  long chunksReused() {
    return arena.chunksReused();
  }

  /** Dedupe keys held, expired or not yet removed; for tests of the purge. */
  long dedupeEntries() {
    return dedupe.estimatedSize();
  }

  /**
   * Stores the message once and appends it to every receiver's inbox, or returns the first result
   * of the same dedupe key within its window; thread-safe, non-blocking, already complete.
   */
  @Override
  public CompletionStage<AppendResult> append(AppendRequest request) {
    DedupeKey key = request.dedupe();
    if (key == null) {
      return completedFuture(store(request));
    }
    AppendResult[] fresh = new AppendResult[1];
    // compute runs once per key at a time, so concurrent duplicates store exactly once.
    Remembered remembered =
        dedupe
            .asMap()
            .compute(
                new SendId(key.userId(), key.deviceId(), key.clientMsgId()),
                (id, old) -> {
                  if (old != null) {
                    return old;
                  }
                  fresh[0] = store(request);
                  return new Remembered(fresh[0], windowNanos(request.dedupeWindow()));
                });
    if (fresh[0] != null) {
      return completedFuture(fresh[0]);
    }
    AppendResult first = remembered.result();
    Map<Long, Long> seqs =
        first.seqs().containsKey(key.userId())
            ? Map.of(key.userId(), first.seqOf(key.userId()))
            : Map.of();
    return completedFuture(
        new AppendResult(first.messageId(), first.createdAtMillis(), seqs, true));
  }

  /**
   * The entries of {@code userId} after {@code afterSeq}, ascending, at most {@code limit};
   * thread-safe, non-blocking. Fails with {@code BAD_REQUEST} when {@code limit < 1}.
   */
  @Override
  public CompletionStage<SyncPage> sync(long userId, long afterSeq, int limit) {
    if (limit < 1) {
      return failedFuture(
          new GimException(GimErrorCode.BAD_REQUEST, "limit: " + limit + " (expected: > 0)"));
    }
    Inbox inbox = inboxes.get(userId);
    if (inbox == null) {
      return completedFuture(new SyncPage(List.of(), false, epoch));
    }
    if (retentionMillis > 0) {
      inbox.trim(System.currentTimeMillis() - retentionMillis);
    }
    return completedFuture(inbox.page(afterSeq, limit, epoch));
  }

  /**
   * Raises the ack of the device to {@code seq} clamped to the user's largest seq, ignoring a
   * smaller one; thread-safe, non-blocking. The largest seq only grows, so a concurrent append
   * cannot make a clamped ack point past the inbox.
   */
  @Override
  public CompletionStage<Void> ack(long userId, long deviceId, long seq) {
    Inbox inbox = inboxes.get(userId);
    long clamped = Math.min(seq, inbox == null ? 0 : inbox.lastSeq());
    if (clamped > 0) {
      acks.computeIfAbsent(userId, u -> new ConcurrentHashMap<>())
          .merge(deviceId, clamped, Math::max);
    }
    return completedFuture(null);
  }

  /** The largest ack of any device of the user, 0 if none; thread-safe, non-blocking. */
  @Override
  public CompletionStage<Long> maxAck(long userId) {
    Map<Long, Long> devices = acks.get(userId);
    long max = 0;
    if (devices != null) {
      for (long ack : devices.values()) {
        max = Math.max(max, ack);
      }
    }
    return completedFuture(max);
  }

  private AppendResult store(AppendRequest request) {
    NewMessage m = request.message();
    long messageId = lastMessageId.incrementAndGet();
    List<Long> receivers = request.userIds();
    long[] userIds = new long[receivers.size()];
    for (int i = 0; i < userIds.length; i++) {
      userIds[i] = receivers.get(i);
    }
    Arrays.sort(userIds);
    MessageArena.Ref record = arena.put(messageId, m, userIds.length); // one entry per receiver
    Inbox[] locked = new Inbox[userIds.length];
    long[] seqs = new long[userIds.length];
    // Ascending user order: two appends with overlapping receivers can never wait on each other
    // in a cycle. Holding every receiver's lock makes the message appear in all inboxes at once.
    try {
      for (int i = 0; i < userIds.length; i++) {
        Inbox inbox = inboxes.get(userIds[i]); // no lambda or bin lock for the usual inbox
        if (inbox == null) {
          inbox = inboxes.computeIfAbsent(userIds[i], u -> new Inbox());
        }
        inbox.lock.lock();
        locked[i] = inbox;
      }
      for (int i = 0; i < userIds.length; i++) {
        seqs[i] = locked[i].add(record);
        if (retentionMillis > 0) {
          locked[i].trimAfterAppends(retentionMillis);
        }
      }
    } finally {
      for (int i = locked.length - 1; i >= 0; i--) {
        if (locked[i] != null) {
          locked[i].lock.unlock();
        }
      }
    }
    return new AppendResult(messageId, m.createdAtMillis(), seqMap(userIds, seqs), false);
  }

  /**
   * The receivers' seqs as an immutable map, which {@link AppendResult} keeps as it is (it copies
   * any other): no {@code HashMap} built to be copied for every append.
   */
  private static Map<Long, Long> seqMap(long[] userIds, long[] seqs) {
    return switch (userIds.length) {
      case 1 -> Map.of(userIds[0], seqs[0]);
      case 2 -> Map.of(userIds[0], seqs[0], userIds[1], seqs[1]);
      default -> {
        @SuppressWarnings("unchecked")
        Map.Entry<Long, Long>[] entries = new Map.Entry[userIds.length];
        for (int i = 0; i < entries.length; i++) {
          entries[i] = Map.entry(userIds[i], seqs[i]);
        }
        yield Map.ofEntries(entries);
      }
    };
  }

  /**
   * Trims every inbox each {@code sweepMillis} for as long as the store is referenced elsewhere.
   * Inboxes share the arena's chunks, so one idle inbox holding an expired entry keeps its whole
   * chunk: the sweep, not only syncs and appends, bounds how long past its retention a chunk lives.
   */
  private static void scheduleSweep(WeakReference<InMemoryMessageStore> ref, long sweepMillis) {
    CompletableFuture.delayedExecutor(sweepMillis, TimeUnit.MILLISECONDS)
        .execute(
            () -> {
              InMemoryMessageStore store = ref.get();
              if (store != null) {
                long cutoff = System.currentTimeMillis() - store.retentionMillis;
                store.inboxes.values().forEach(inbox -> inbox.trim(cutoff));
                scheduleSweep(ref, sweepMillis);
              }
            });
  }

  private static long windowNanos(Duration window) {
    if (window.isNegative()) {
      return 0;
    }
    return window.compareTo(Duration.ofNanos(MAX_WINDOW_NANOS)) >= 0
        ? MAX_WINDOW_NANOS
        : window.toNanos();
  }

  private static long randomNonZero() {
    SecureRandom random = new SecureRandom();
    long value;
    do {
      value = random.nextLong();
    } while (value == 0);
    return value;
  }

  /**
   * One user's inbox: entry i has seq {@code dropped + i + 1}, where {@code dropped} counts the
   * entries purged from its head. An entry is where its message's record is in the {@link
   * MessageArena}: a chunk and an offset, no object of its own. Seq allocation, append and purge
   * share the lock.
   *
   * <p>The entries are a ring, not a list: a purge clears slots at the head instead of moving every
   * later reference down. Moving them rewrote the whole array in the old generation, so G1
   * re-scanned all its cards after each purge (a fifth of the server's core at 200 k messages a
   * second, with a 2 s retention).
   */
  private static final class Inbox {
    private static final int TRIM_BATCH = 1_000;
    private static final int TRIM_EVERY = 64;
    private static final int MIN_CAPACITY = 16;
    final ReentrantLock lock = new ReentrantLock();
    private MessageArena.Chunk[] chunks = new MessageArena.Chunk[MIN_CAPACITY]; // a power of two
    private int[] offsets = new int[MIN_CAPACITY];
    private int head;
    private int size;
    private long dropped;
    private int appendsSinceTrim;
    private volatile long lastSeq;

    /** Appends and returns the new seq; the caller holds the lock. */
    long add(MessageArena.Ref record) {
      if (size == chunks.length) {
        resize(chunks.length * 2);
      }
      int slot = (head + size) & (chunks.length - 1);
      chunks[slot] = record.chunk();
      offsets[slot] = record.offset();
      size++;
      lastSeq = dropped + size;
      return lastSeq;
    }

    private int slot(int i) {
      return (head + i) & (chunks.length - 1);
    }

    /** Copies the entries, in order, to the start of a new ring of {@code capacity}. */
    private void resize(int capacity) {
      MessageArena.Chunk[] nextChunks = new MessageArena.Chunk[capacity];
      int[] nextOffsets = new int[capacity];
      int first = Math.min(size, chunks.length - head);
      System.arraycopy(chunks, head, nextChunks, 0, first);
      System.arraycopy(chunks, 0, nextChunks, first, size - first);
      System.arraycopy(offsets, head, nextOffsets, 0, first);
      System.arraycopy(offsets, 0, nextOffsets, first, size - first);
      chunks = nextChunks;
      offsets = nextOffsets;
      head = 0;
    }

    /** The largest seq handed out; read without the lock. */
    long lastSeq() {
      return lastSeq;
    }

    /** Drops up to one batch of head entries created before {@code cutoffMillis}. */
    void trim(long cutoffMillis) {
      lock.lock();
      try {
        trimLocked(cutoffMillis);
      } finally {
        lock.unlock();
      }
    }

    /**
     * Every {@link #TRIM_EVERY} appends, {@link #trim} without taking the lock again: so an inbox
     * that is written and never synced (a device that stays offline) keeps about its retention, not
     * up to a sweep's interval of messages more. The caller holds the lock.
     */
    void trimAfterAppends(long retentionMillis) {
      if (++appendsSinceTrim >= TRIM_EVERY) {
        appendsSinceTrim = 0;
        trimLocked(System.currentTimeMillis() - retentionMillis); // the clock only when due
      }
    }

    private void trimLocked(long cutoffMillis) {
      int n = 0;
      while (size > 0
          && n < TRIM_BATCH
          && MessageArena.createdAtMillis(chunks[head].bytes, offsets[head]) < cutoffMillis) {
        chunks[head].release(); // the record may be written over from here on
        chunks[head] = null;
        head = (head + 1) & (chunks.length - 1);
        size--;
        n++;
      }
      dropped += n;
      // An inbox that a burst grew gives the memory back once it is mostly purged.
      if (n > 0 && chunks.length > MIN_CAPACITY && size <= chunks.length / 4) {
        resize(chunks.length / 2);
      }
    }

    SyncPage page(long afterSeq, int limit, long epoch) {
      lock.lock();
      try {
        // Index of the first entry after afterSeq; purged seqs are simply skipped.
        long from = Math.max(afterSeq - dropped, 0);
        if (from >= size) {
          return new SyncPage(List.of(), false, epoch);
        }
        int end = (int) Math.min(size, from + limit);
        List<StoredMessage> page = new ArrayList<>(end - (int) from);
        for (int i = (int) from; i < end; i++) {
          int slot = slot(i);
          page.add(MessageArena.read(chunks[slot].bytes, offsets[slot], dropped + i + 1L));
        }
        return new SyncPage(page, end < size, epoch);
      } finally {
        lock.unlock();
      }
    }
  }

  /** The dedupe identity of a client send: PROTOCOL.md keys it by sending device. */
  private record SendId(long userId, long deviceId, String clientMsgId) {}

  private record Remembered(AppendResult result, long windowNanos) {}

  /** Each key lives for its own request's window, counted from the first append. */
  private static final class WindowExpiry implements Expiry<SendId, Remembered> {
    @Override
    public long expireAfterCreate(SendId key, Remembered value, long currentTime) {
      return value.windowNanos();
    }

    @Override
    public long expireAfterUpdate(
        SendId key, Remembered value, long currentTime, long currentDuration) {
      return currentDuration;
    }

    @Override
    public long expireAfterRead(
        SendId key, Remembered value, long currentTime, long currentDuration) {
      return currentDuration;
    }
  }
}
