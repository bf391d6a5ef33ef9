package io.gim.core.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.gim.spi.store.AppendRequest;
import io.gim.spi.store.AppendResult;
import io.gim.spi.store.MessageStore;
import io.gim.spi.store.NewMessage;
import io.gim.spi.store.StoredMessage;
import io.gim.spi.store.SyncPage;
import io.gim.testkit.contract.MessageStoreContract;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class InMemoryMessageStoreTest extends MessageStoreContract {
  @Test
  void anInboxThatIsNeverSyncedLetsGoOfExpiredMessagesAsNewOnesArrive() throws Exception {
    InMemoryMessageStore store = InMemoryMessageStore.withInboxRetention(Duration.ofMinutes(1));
    long longAgo = System.currentTimeMillis() - Duration.ofMinutes(10).toMillis();
    byte[] expired = new byte[1024];
    WeakReference<byte[]> expiredContent = new WeakReference<>(expired);
    append(store, new NewMessage(1, 1, 1, expired, longAgo));
    expired = null;
    byte[] fresh = new byte[1024];
    WeakReference<byte[]> freshContent = new WeakReference<>(fresh);
    append(store, new NewMessage(1, 1, 1, fresh, System.currentTimeMillis()));
    fresh = null;
    for (int i = 0; i < 63; i++) {
      append(store, new NewMessage(1, 1, 1, new byte[] {1}, System.currentTimeMillis()));
    }

    // No sync, and the sweep is a minute away: only the appends can have let it go.
    for (int i = 0; i < 20 && expiredContent.get() != null; i++) {
      System.gc();
      Thread.sleep(10);
    }
    assertThat(expiredContent.get()).isNull();
    assertThat(freshContent.get()).isNotNull(); // still stored, so still reachable
    SyncPage page = store.sync(5, 0, 100).toCompletableFuture().join();
    assertThat(page.messages()).extracting(StoredMessage::seq).startsWith(2L, 3L).hasSize(64);
    assertThat(page.messages().get(0).content()).isSameAs(freshContent.get());
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
