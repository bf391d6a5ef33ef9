package io.gim.store.redis.internal;

/** The steps of a device save replayed on a three-master Redis Cluster. */
class RedisClusterDeviceStoreStepsTest extends RedisDeviceStoreStepsTest {
  @Override
  boolean cluster() {
    return true;
  }
}
