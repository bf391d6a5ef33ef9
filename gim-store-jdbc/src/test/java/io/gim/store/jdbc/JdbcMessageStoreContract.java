package io.gim.store.jdbc;

import io.gim.spi.store.MessageStore;
import io.gim.testkit.contract.MessageStoreContract;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The message store contract on one database: the shared store for most tests, an {@link
 * IsolatedDatabase} for those that purge.
 */
abstract class JdbcMessageStoreContract extends MessageStoreContract {
  private final Map<MessageStore, IsolatedDatabase> isolated = new ConcurrentHashMap<>();

  /** The store shared by the test JVM. */
  protected abstract JdbcStores shared();

  /** A database of the test's own. */
  protected abstract IsolatedDatabase isolate(Duration inboxRetention) throws Exception;

  @Override
  protected final MessageStore createStore() {
    return shared().messages();
  }

  @Override
  protected final MessageStore createPurgingStore(Duration inboxRetention) throws Exception {
    IsolatedDatabase db = isolate(inboxRetention);
    isolated.put(db.stores().messages(), db);
    return db.stores().messages();
  }

  @Override
  protected final void closePurgingStore(MessageStore store) throws Exception {
    isolated.remove(store).close();
  }

  @Override
  protected final long dedupeEntries(MessageStore store) throws Exception {
    return isolated.get(store).dedupeRows();
  }
}
