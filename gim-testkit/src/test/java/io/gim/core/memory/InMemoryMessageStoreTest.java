package io.gim.core.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.gim.spi.store.AppendRequest;
import io.gim.spi.store.AppendResult;
import io.gim.spi.store.MessageStore;
import io.gim.spi.store.NewMessage;
import io.gim.spi.store.StoredMessage;
import io.gim.spi.store.SyncPage;
import io.gim.testkit.contract.MessageStoreContract;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class InMemoryMessageStoreTest extends MessageStoreContract {
  @Test
  void anInboxThatIsNeverSyncedLetsGoOfExpiredMessagesAsNewOnesArrive() {
    InMemoryMessageStore store = InMemoryMessageStore.withInboxRetention(Duration.ofMinutes(1));
    long longAgo = System.currentTimeMillis() - Duration.ofMinutes(10).toMillis();
    append(store, new NewMessage(1, 1, 1, new byte[] {7}, longAgo));
    append(store, new NewMessage(1, 1, 1, new byte[] {8}, System.currentTimeMillis()));
    for (int i = 0; i < 61; i++) {
      append(store, new NewMessage(1, 1, 1, new byte[] {9}, System.currentTimeMillis()));
    }
    assertThat(store.entriesHeld(5)).isEqualTo(63); // the 64th append has not come yet

    append(store, new NewMessage(1, 1, 1, new byte[] {9}, System.currentTimeMillis()));

    // No sync, and the sweep is 30 s away: only the appends can have let it go.
    assertThat(store.entriesHeld(5)).isEqualTo(63);
    SyncPage page = store.sync(5, 0, 100).toCompletableFuture().join();
    assertThat(page.messages()).extracting(StoredMessage::seq).startsWith(2L, 3L).hasSize(63);
    assertThat(page.messages().get(0).content()).containsExactly(8);
  }

  @Test
  void anIdleInboxLetsGoOfExpiredMessagesWithinHalfItsRetention() throws Exception {
    // Records share chunks, so an idle inbox's expired entry would keep its whole chunk: the sweep
    // comes every half retention, not once a minute.
    InMemoryMessageStore store = InMemoryMessageStore.withInboxRetention(Duration.ofMillis(200));
    append(store, new NewMessage(1, 1, 1, new byte[] {1}, System.currentTimeMillis()));
    assertThat(store.entriesHeld(5)).isEqualTo(1);

    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (store.entriesHeld(5) > 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(store.entriesHeld(5)).isZero(); // no sync, no append: the sweep let it go
    AppendResult next =
        store
            .append(AppendRequest.of(new NewMessage(1, 1, 1, new byte[] {2}, now()), List.of(5L)))
            .toCompletableFuture()
            .join();
    assertThat(next.seqs()).containsEntry(5L, 2L); // seqs go on after the purge
  }

  @Test
  void syncReturnsEachMessageAsStoredWhateverItsSizeAndACopyOfItsContent() {
    InMemoryMessageStore store = new InMemoryMessageStore();
    // Records of 40-byte headers padded to 8: 3,808 fills the first chunk (4 KiB less 64) to its
    // last byte, 3,809 opens the second (8 KiB less 64), 4,232 fills that, 1 opens the third; then
    // ones large enough for a chunk of their own between small ones.
    int[] sizes = {0, 1, 7, 8, 3_808, 3_809, 4_232, 1, 300_000, 3, 1 << 20, 5, 16_000};
    for (int i = 0; i < sizes.length; i++) {
      byte[] content = new byte[sizes[i]];
      java.util.Arrays.fill(content, (byte) (i + 1));
      NewMessage m = new NewMessage(100 + i, 200 + i, 10 + i, content, 1_700_000_000_000L + i);
      store.append(AppendRequest.of(m, List.of(5L, 6L))).toCompletableFuture().join();
    }

    for (long user : List.of(5L, 6L)) {
      List<StoredMessage> all = syncAll(store, user);
      assertThat(all).hasSize(sizes.length);
      for (int i = 0; i < sizes.length; i++) {
        StoredMessage m = all.get(i);
        assertThat(m.seq()).isEqualTo(i + 1L);
        assertThat(m.messageId()).isEqualTo(i + 1L);
        assertThat(m.senderUserId()).isEqualTo(100 + i);
        assertThat(m.senderDeviceId()).isEqualTo(200 + i);
        assertThat(m.command()).isEqualTo(10 + i);
        assertThat(m.createdAtMillis()).isEqualTo(1_700_000_000_000L + i);
        byte[] expected = new byte[sizes[i]];
        java.util.Arrays.fill(expected, (byte) (i + 1));
        assertThat(m.content()).isEqualTo(expected);
      }
    }
    // A reader that scribbles on what sync gave it changes nothing stored.
    StoredMessage first = store.sync(5, 1, 1).toCompletableFuture().join().messages().get(0);
    java.util.Arrays.fill(first.content(), (byte) 0);
    StoredMessage again = store.sync(6, 1, 1).toCompletableFuture().join().messages().get(0);
    assertThat(again.content()).containsOnly(2);
    assertThat(store.sync(5, 1, 1).toCompletableFuture().join().messages().get(0).content())
        .containsOnly(2);
  }

  @Test
  void recordsWrittenFromManyThreadsAtOnceKeepTheirOwnFieldsAndContent() throws Exception {
    InMemoryMessageStore store = new InMemoryMessageStore();
    int threads = 4;
    int perThread = 5_000;
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(threads);
    java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
    List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
    try {
      for (int t = 0; t < threads; t++) {
        long sender = 100 + t;
        done.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < perThread; i++) {
                    // Every sender writes to a shared inbox and its own; sizes vary to cross
                    // chunks.
                    byte[] content = new byte[8 + i % 300];
                    java.nio.ByteBuffer.wrap(content).putInt((int) sender).putInt(i);
                    NewMessage m = new NewMessage(sender, i, (int) sender, content, i);
                    store
                        .append(AppendRequest.of(m, List.of(5L, sender)))
                        .toCompletableFuture()
                        .join();
                  }
                  return null;
                }));
      }
      start.countDown();
      for (java.util.concurrent.Future<?> f : done) {
        f.get(60, java.util.concurrent.TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    List<StoredMessage> shared = syncAll(store, 5);
    assertThat(shared).hasSize(threads * perThread);
    for (StoredMessage m : shared) {
      java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(m.content());
      int i = (int) m.senderDeviceId();
      assertThat(b.getInt()).isEqualTo((int) m.senderUserId());
      assertThat(b.getInt()).isEqualTo(i);
      assertThat(m.content()).hasSize(8 + i % 300);
      assertThat(m.command()).isEqualTo((int) m.senderUserId());
      assertThat(m.createdAtMillis()).isEqualTo(i);
    }
    for (long sender = 100; sender < 100 + threads; sender++) {
      List<StoredMessage> own = syncAll(store, sender);
      assertThat(own)
          .extracting(StoredMessage::senderDeviceId)
          .containsExactlyElementsOf(seqs(0, perThread - 1)); // its own order, nothing lost
    }
  }

  @Test
  void chunksOfPurgedMessagesAreWrittenOverButNeverUnderAMessageStillHeld() {
    InMemoryMessageStore store = InMemoryMessageStore.withInboxRetention(Duration.ofMinutes(1));
    long longAgo = System.currentTimeMillis() - Duration.ofMinutes(10).toMillis();
    // 40 MiB of expired messages to users 5 and 6 (purged as they come, every 64 appends), more
    // to 5 alone so that the two inboxes purge at different points, and among them fresh ones to
    // users 7 and 8, which stay: chunks holding only purged records are written over.
    long fresh = 0;
    for (int i = 0; i < 10_000; i++) {
      List<Long> to = i % 3 == 0 ? List.of(5L) : List.of(5L, 6L);
      store
          .append(AppendRequest.of(new NewMessage(1, 1, 1, new byte[4_000], longAgo), to))
          .toCompletableFuture()
          .join();
      if (i % 997 == 0) {
        fresh++;
        NewMessage m = new NewMessage(2, 2, 2, pattern(fresh, 1_000 + i % 500), now());
        AppendResult r =
            store.append(AppendRequest.of(m, List.of(7L, 8L))).toCompletableFuture().join();
        assertThat(r.seqs()).containsEntry(7L, fresh).containsEntry(8L, fresh);
      }
    }

    assertThat(store.chunksReused()).isPositive();
    for (long user : List.of(7L, 8L)) {
      List<StoredMessage> held = syncAll(store, user);
      assertThat(held).hasSize((int) fresh);
      for (StoredMessage m : held) {
        int i = (int) (m.seq() - 1) * 997;
        assertThat(m.content()).isEqualTo(pattern(m.seq(), 1_000 + i % 500));
      }
    }
    assertThat(syncAll(store, 5)).isEmpty();
    assertThat(syncAll(store, 6)).isEmpty();
  }

  /** {@code length} bytes that differ with {@code seed} at every position. */
  private static byte[] pattern(long seed, int length) {
    byte[] b = new byte[length];
    for (int i = 0; i < length; i++) {
      b[i] = (byte) (seed * 31 + i * 7);
    }
    return b;
  }

  @Test
  void anInboxKeepsEverySeqInOrderWhilePurgesAndBurstsWrapAndResizeItsStorage() {
    InMemoryMessageStore store = InMemoryMessageStore.withInboxRetention(Duration.ofMinutes(1));
    // Purged from the head, then a burst: the live part starts mid-storage, wraps and grows.
    appendExpired(store, 5, 1, 10);
    assertThat(syncAll(store, 5)).isEmpty(); // the sync purges what expired
    appendFresh(store, 5, 11, 60);
    assertThat(syncAll(store, 5))
        .extracting(StoredMessage::seq)
        .containsExactlyElementsOf(seqs(11, 60));
    appendFresh(store, 5, 61, 200);
    assertThat(syncAll(store, 5))
        .extracting(StoredMessage::seq)
        .containsExactlyElementsOf(seqs(11, 200));

    // Expired appends are purged as they come (every 64 appends) and by the sync: the storage
    // grows and shrinks under them, and the seqs go on.
    appendExpired(store, 6, 1, 300);
    appendFresh(store, 6, 301, 305);
    assertThat(syncAll(store, 6))
        .extracting(StoredMessage::seq)
        .containsExactlyElementsOf(seqs(301, 305));
    appendFresh(store, 6, 306, 400);
    List<StoredMessage> six = syncAll(store, 6);
    assertThat(six).extracting(StoredMessage::seq).containsExactlyElementsOf(seqs(301, 400));
    assertThat(six).allSatisfy(m -> assertThat(m.content()).isEqualTo(content(m.seq())));
  }

  /** Appends messages created long ago to {@code user}, expecting seqs {@code from..to}. */
  private static void appendExpired(InMemoryMessageStore store, long user, long from, long to) {
    long longAgo = System.currentTimeMillis() - Duration.ofMinutes(10).toMillis();
    appendRange(store, user, from, to, longAgo);
  }

  private static void appendFresh(InMemoryMessageStore store, long user, long from, long to) {
    appendRange(store, user, from, to, System.currentTimeMillis());
  }

  private static void appendRange(
      InMemoryMessageStore store, long user, long from, long to, long createdAt) {
    for (long seq = from; seq <= to; seq++) {
      NewMessage m = new NewMessage(1, 1, 1, content(seq), createdAt);
      AppendResult r =
          store.append(AppendRequest.of(m, List.of(user))).toCompletableFuture().join();
      assertThat(r.seqs()).containsEntry(user, seq);
    }
  }

  private static List<Long> seqs(long from, long to) {
    return java.util.stream.LongStream.rangeClosed(from, to).boxed().toList();
  }

  /** Every message of {@code user}, in pages that end in odd places. */
  private static List<StoredMessage> syncAll(InMemoryMessageStore store, long user) {
    List<StoredMessage> all = new java.util.ArrayList<>();
    long after = 0;
    SyncPage page;
    do {
      page = store.sync(user, after, 37).toCompletableFuture().join();
      all.addAll(page.messages());
      if (!page.messages().isEmpty()) {
        after = page.messages().get(page.messages().size() - 1).seq();
      }
    } while (page.hasMore());
    return all;
  }

  private static byte[] content(long seq) {
    return java.nio.ByteBuffer.allocate(8).putLong(seq).array();
  }

  private static long now() {
    return System.currentTimeMillis();
  }

  private static void append(InMemoryMessageStore store, NewMessage m) {
    store.append(AppendRequest.of(m, List.of(5L))).toCompletableFuture().join();
  }

  @Override
  protected MessageStore createStore() {
    return new InMemoryMessageStore();
  }

  @Override
  protected MessageStore createPurgingStore(Duration inboxRetention) {
    return inboxRetention == null
        ? new InMemoryMessageStore()
        : InMemoryMessageStore.withInboxRetention(inboxRetention);
  }

  @Override
  protected void closePurgingStore(MessageStore store) {}

  @Override
  protected long dedupeEntries(MessageStore store) {
    return ((InMemoryMessageStore) store).dedupeEntries();
  }
}
