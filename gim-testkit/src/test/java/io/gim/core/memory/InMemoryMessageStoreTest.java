package io.gim.core.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.gim.spi.store.AppendRequest;
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
