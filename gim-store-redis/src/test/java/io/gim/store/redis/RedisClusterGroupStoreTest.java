package io.gim.store.redis;

/** The group store contract, and this store's own promises, on a three-master Redis Cluster. */
class RedisClusterGroupStoreTest extends RedisGroupStoreTest {
  @Override
  boolean cluster() {
    return true;
  }
}
