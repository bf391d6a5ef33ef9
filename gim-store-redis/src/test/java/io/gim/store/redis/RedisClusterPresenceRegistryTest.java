package io.gim.store.redis;

/** The presence contract and the extra presence tests on a three-master Redis Cluster. */
class RedisClusterPresenceRegistryTest extends RedisPresenceRegistryTest {
  @Override
  boolean cluster() {
    return true;
  }
}
