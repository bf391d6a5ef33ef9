package io.gim.store.redis;

/** The room bus contract and the extra room bus tests on a three-master Redis Cluster. */
class RedisClusterRoomBusTest extends RedisRoomBusTest {
  @Override
  boolean cluster() {
    return true;
  }
}
