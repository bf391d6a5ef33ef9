package io.gim.store.redis;

/** The message store contract on a three-master Redis Cluster. */
class RedisClusterMessageStoreTest extends RedisMessageStoreTest {
  @Override
  boolean cluster() {
    return true;
  }
}
