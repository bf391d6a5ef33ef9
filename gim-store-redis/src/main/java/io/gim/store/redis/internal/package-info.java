/** The Redis stores' implementation; not an API: use {@link io.gim.store.redis.RedisStores}. */
package io.gim.store.redis.internal;
