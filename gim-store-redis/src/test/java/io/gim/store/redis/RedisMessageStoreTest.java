package io.gim.store.redis;

import io.gim.spi.store.MessageStore;
import io.gim.testkit.contract.MessageStoreContract;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.Map;

/** The message store contract on the machine's single Redis. */
class RedisMessageStoreTest extends MessageStoreContract {
  private final Map<MessageStore, Opened> opened = new IdentityHashMap<>();

  /** Stores under a prefix of their own, deleted afterwards. */
  record Opened(RedisStores stores, String prefix) {}

  boolean cluster() {
    return false;
  }

  private MessageStore open(RedisStores.Builder settings) {
    String prefix = TestRedis.prefix();
    RedisStores stores =
        settings
            .client(cluster() ? TestRedis.clusterClient() : TestRedis.singleClient())
            .prefix(prefix)
            .build();
    opened.put(stores.messages(), new Opened(stores, prefix));
    return stores.messages();
  }

  private void close(MessageStore store) {
    Opened o = opened.remove(store);
    if (o != null) {
      o.stores().close();
      TestRedis.deleteKeys(cluster(), o.prefix());
    }
  }

  @Override
  protected MessageStore createStore() {
    return open(RedisStores.builder());
  }

  @Override
  protected void closeStore(MessageStore store) {
    close(store);
  }

  @Override
  protected MessageStore createPurgingStore(Duration inboxRetention) {
    RedisStores.Builder settings = RedisStores.builder();
    if (inboxRetention != null) {
      settings.inboxMaxAge(inboxRetention);
    }
    return open(settings);
  }

  @Override
  protected void closePurgingStore(MessageStore store) {
    close(store);
  }

  @Override
  protected long dedupeEntries(MessageStore store) {
    return TestRedis.keys(cluster(), opened.get(store).prefix(), "*:dedupe:*").size();
  }
}
