package io.gim.store.redis;

/** The device store contract, and this store's own promises, on a three-master Redis Cluster. */
class RedisClusterDeviceStoreTest extends RedisDeviceStoreTest {
  @Override
  boolean cluster() {
    return true;
  }
}
