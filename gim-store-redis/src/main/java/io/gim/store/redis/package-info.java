/**
 * Stores on Redis or Redis Cluster through Lettuce: {@link io.gim.store.redis.RedisStores} builds
 * the message, group and device stores, the presence registry and the room bus on one client.
 */
package io.gim.store.redis;
