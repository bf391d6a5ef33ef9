package io.gim.store.redis.internal;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * One Redis deployment as the stores see it: a single server or a cluster, one shared command
 * connection (Lettuce pipelines the commands of every thread on it), new pub/sub connections on
 * demand, and a deadline for every call.
 *
 * <p>Thread-safe. {@link #close()} closes the command connection, and the client too when this
 * target created it.
 */
public final class RedisTarget implements AutoCloseable {
  private final AbstractRedisClient client;
  private final boolean ownsClient;
  private final boolean cluster;
  private final StatefulConnection<byte[], byte[]> connection;
  private final RedisClusterAsyncCommands<byte[], byte[]> commands;
  private final Duration timeout;

  private RedisTarget(
      AbstractRedisClient client,
      boolean ownsClient,
      StatefulConnection<byte[], byte[]> connection,
      RedisClusterAsyncCommands<byte[], byte[]> commands,
      Duration timeout) {
    this.client = client;
    this.ownsClient = ownsClient;
    this.cluster = client instanceof RedisClusterClient;
    this.connection = connection;
    this.commands = commands;
    this.timeout = timeout;
  }

  /**
   * Connects to a single server or a cluster through {@code client}.
   *
   * @param ownsClient whether {@link #close()} shuts the client down too
   * @param timeout the deadline of every call made through {@link #call}
   */
  public static RedisTarget connect(
      AbstractRedisClient client, boolean ownsClient, Duration timeout) {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(timeout, "timeout");
    try {
      if (client instanceof RedisClusterClient c) {
        StatefulRedisClusterConnection<byte[], byte[]> conn = c.connect(ByteArrayCodec.INSTANCE);
        // Node connections open lazily, and a client that rejects commands while disconnected
        // (as it should, to fail fast) would refuse the first command to each node: open them now.
        for (RedisClusterNode node : conn.getPartitions()) {
          if (node.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
            conn.getConnection(node.getUri().getHost(), node.getUri().getPort());
          }
        }
        return new RedisTarget(client, ownsClient, conn, conn.async(), timeout);
      }
      if (client instanceof RedisClient c) {
        StatefulRedisConnection<byte[], byte[]> conn = c.connect(ByteArrayCodec.INSTANCE);
        return new RedisTarget(client, ownsClient, conn, conn.async(), timeout);
      }
    } catch (RuntimeException e) {
      if (ownsClient) {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      }
      throw e;
    }
    throw new IllegalArgumentException(
        "client: "
            + client.getClass().getName()
            + " (expected: RedisClient or RedisClusterClient)");
  }

  /** Whether this is a Redis Cluster (keys of one call must then share a slot). */
  public boolean cluster() {
    return cluster;
  }

  /** The shared command interface; prefer {@link #call} for the deadline and failure mapping. */
  public RedisClusterAsyncCommands<byte[], byte[]> commands() {
    return commands;
  }

  /** Runs {@code command} on the shared connection with the call deadline and mapped failures. */
  public <T> CompletableFuture<T> call(
      java.util.function.Function<RedisClusterAsyncCommands<byte[], byte[]>, CompletionStage<T>>
          command) {
    CompletableFuture<T> result;
    try {
      result = command.apply(commands).toCompletableFuture();
    } catch (RuntimeException e) {
      result = CompletableFuture.failedFuture(e);
    }
    return RedisFailures.mapped(result.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS));
  }

  /** A new pub/sub connection (on a cluster, one that hears every node's messages). */
  public StatefulRedisPubSubConnection<byte[], byte[]> connectPubSub() {
    if (client instanceof RedisClusterClient c) {
      return c.connectPubSub(ByteArrayCodec.INSTANCE);
    }
    return ((RedisClient) client).connectPubSub(ByteArrayCodec.INSTANCE);
  }

  /** The cluster slot of a key (0 on a single server, where slots do not matter). */
  public int slot(byte[] key) {
    return cluster ? SlotHash.getSlot(key) : 0;
  }

  /** The deadline of every call. */
  public Duration timeout() {
    return timeout;
  }

  /** The Lettuce client, for resources such as its event executors. */
  public AbstractRedisClient client() {
    return client;
  }

  @Override
  public void close() {
    connection.close();
    if (ownsClient) {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(5));
    }
  }
}
