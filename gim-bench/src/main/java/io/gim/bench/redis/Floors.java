package io.gim.bench.redis;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The least the store's operations can cost through the same Lettuce client: plain commands on one
 * shared connection, keys made once up front, no scripts. On a cluster a user's keys carry the hash
 * tag {@code {u:<id>}}, as the store's do, so they share a slot. Thread-safe.
 */
final class Floors {
  private final RedisClusterAsyncCommands<byte[], byte[]> commands;
  private final byte[] payload;
  private final byte[][] seqKeys;
  private final byte[][] inboxKeys;
  private final byte[][] routeKeys;

  /**
   * @param users how many users the seq+append floor spreads over (ids 1..users)
   * @param lookupUsers the users of the lookup floor, one route hash each
   */
  Floors(
      RedisClusterAsyncCommands<byte[], byte[]> commands,
      boolean cluster,
      String prefix,
      int users,
      long[] lookupUsers,
      int payloadBytes) {
    this.commands = commands;
    this.payload = new byte[payloadBytes];
    this.seqKeys = new byte[users][];
    this.inboxKeys = new byte[users][];
    for (int i = 0; i < users; i++) {
      seqKeys[i] = key(prefix, cluster, i + 1, "seq");
      inboxKeys[i] = key(prefix, cluster, i + 1, "inbox");
    }
    this.routeKeys = new byte[lookupUsers.length][];
    for (int i = 0; i < lookupUsers.length; i++) {
      routeKeys[i] = key(prefix, cluster, lookupUsers[i], "routes");
    }
  }

  private static byte[] key(String prefix, boolean cluster, long user, String name) {
    String tag = cluster ? "{u:" + user + "}" : "u:" + user;
    return (prefix + tag + ":" + name).getBytes(StandardCharsets.UTF_8);
  }

  /** One message for a random user: {@code INCR} its seq, {@code RPUSH} the payload. */
  CompletionStage<Long> seqAppend(long n) {
    int user = ThreadLocalRandom.current().nextInt(seqKeys.length);
    CompletableFuture<Long> seq = commands.incr(seqKeys[user]).toCompletableFuture();
    CompletableFuture<Long> length = commands.rpush(inboxKeys[user], payload).toCompletableFuture();
    return seq.thenCombine(length, (s, l) -> s);
  }

  /** Writes one route hash per lookup user: field = device, value = node and connection. */
  CompletableFuture<Void> writeRoutes() {
    CompletableFuture<?>[] writes = new CompletableFuture<?>[routeKeys.length];
    for (int i = 0; i < routeKeys.length; i++) {
      byte[] route = ("node-a:" + i).getBytes(StandardCharsets.UTF_8);
      writes[i] = commands.hset(routeKeys[i], new byte[] {'1'}, route).toCompletableFuture();
    }
    return CompletableFuture.allOf(writes);
  }

  /** One lookup: {@code HGETALL} of every lookup user's hash, all sent at once. */
  CompletionStage<Integer> lookup(long n) {
    @SuppressWarnings("unchecked")
    CompletableFuture<Map<byte[], byte[]>>[] reads = new CompletableFuture[routeKeys.length];
    for (int i = 0; i < routeKeys.length; i++) {
      reads[i] = commands.hgetall(routeKeys[i]).toCompletableFuture();
    }
    return CompletableFuture.allOf(reads)
        .thenApply(
            ignored -> {
              int found = 0;
              for (CompletableFuture<Map<byte[], byte[]>> r : reads) {
                found += r.join().isEmpty() ? 0 : 1;
              }
              if (found != reads.length) {
                throw new IllegalStateException(
                    "lookup floor found " + found + " of " + reads.length + " users");
              }
              return found;
            });
  }
}
