package io.gim.core.memory;

import io.gim.spi.store.MessageStore;
import io.gim.testkit.contract.MessageStoreContract;
import java.time.Duration;

class InMemoryMessageStoreTest extends MessageStoreContract {
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
