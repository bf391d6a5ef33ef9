package io.gim.bench.redis;

import io.gim.store.redis.RedisStores;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.ByteArrayCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The Redis a run measures, a single server or a Redis Cluster (given, or started here through the
 * repository's {@code .ci/redis-cluster} and stopped by {@link #close()} or, if the JVM is stopped
 * first, by a shutdown hook). One Lettuce client serves both the floors, through this class's own
 * shared connection, and the stores, which open theirs on the same client. Not thread-safe except
 * {@link #commands()}, which Lettuce makes safe.
 */
public final class Deployment implements AutoCloseable {
  private static final Path CLUSTER_SCRIPT = Path.of(".ci", "redis-cluster");

  private final String name;
  private final String where;
  private final AbstractRedisClient client;
  private final StatefulConnection<byte[], byte[]> connection;
  private final RedisClusterAsyncCommands<byte[], byte[]> commands;
  private final List<Master> masters;
  private final ClusterProcesses started;

  /** A master's host (as the client knows it) and its node connection. */
  private record Master(String host, StatefulRedisConnection<byte[], byte[]> connection) {}

  private Deployment(
      String name,
      String where,
      AbstractRedisClient client,
      StatefulConnection<byte[], byte[]> connection,
      RedisClusterAsyncCommands<byte[], byte[]> commands,
      List<Master> masters,
      ClusterProcesses started) {
    this.name = name;
    this.where = where;
    this.client = client;
    this.connection = connection;
    this.commands = commands;
    this.masters = masters;
    this.started = started;
  }

  /** The single server at {@code uri}, e.g. {@code redis://127.0.0.1:6379}. */
  public static Deployment single(String uri) {
    RedisURI parsed = RedisURI.create(uri);
    RedisClient client = RedisClient.create(parsed);
    client.setOptions(RedisStores.recommendedOptions(false));
    try {
      StatefulRedisConnection<byte[], byte[]> c = client.connect(ByteArrayCodec.INSTANCE);
      List<Master> masters = List.of(new Master(parsed.getHost(), c));
      return new Deployment("single", uri, client, c, c.async(), masters, null);
    } catch (RuntimeException e) {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      throw e;
    }
  }

  /** The cluster at {@code seeds} ({@code host:port,...}), or a new one when seeds is null. */
  static Deployment cluster(String seeds) throws IOException, InterruptedException {
    ClusterProcesses started = null;
    if (seeds == null) {
      started = ClusterProcesses.start();
      seeds = started.seeds;
    }
    List<RedisURI> uris = new ArrayList<>();
    for (String seed : seeds.split(",")) {
      uris.add(RedisURI.create("redis://" + seed.trim()));
    }
    RedisClusterClient client = RedisClusterClient.create(uris);
    client.setOptions((ClusterClientOptions) RedisStores.recommendedOptions(true));
    try {
      StatefulRedisClusterConnection<byte[], byte[]> c = client.connect(ByteArrayCodec.INSTANCE);
      List<Master> masters = new ArrayList<>();
      // Opened now, as the store does: a client that rejects commands while disconnected would
      // refuse the first command to a node whose connection is still to be opened.
      for (RedisClusterNode node : c.getPartitions()) {
        if (node.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
          String host = node.getUri().getHost();
          masters.add(new Master(host, c.getConnection(host, node.getUri().getPort())));
        }
      }
      return new Deployment("cluster", seeds, client, c, c.async(), masters, started);
    } catch (RuntimeException e) {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      if (started != null) {
        started.stop();
      }
      throw e;
    }
  }

  /** {@code single} or {@code cluster}. */
  String name() {
    return name;
  }

  /** The URI or seeds, and whether this run started the cluster. */
  String where() {
    return started == null ? where : where + " (started for this run)";
  }

  boolean cluster() {
    return client instanceof RedisClusterClient;
  }

  /** The floors' shared connection: on a cluster, commands go to the node of their key's slot. */
  RedisClusterAsyncCommands<byte[], byte[]> commands() {
    return commands;
  }

  /**
   * Whether the floors' connection writes each command at once (Lettuce's default, and the
   * stores'), or only on {@link #flush()}.
   */
  void autoFlush(boolean on) {
    connection.setAutoFlushCommands(on);
    if (on) {
      connection.flushCommands();
    }
  }

  /** Writes the commands queued while {@link #autoFlush} is off. */
  void flush() {
    connection.flushCommands();
  }

  /** Stores under {@code prefix} on this deployment's client (left open by their close). */
  RedisStores stores(String prefix) {
    return RedisStores.builder().client(client).prefix(prefix).build();
  }

  /** The redis-server version, from the first master. */
  public String version() {
    return infoField(masters.get(0).connection(), "redis_version");
  }

  /**
   * The process ids of the masters' redis-server processes, -1 for one that is not a redis-server
   * on this machine (its CPU cannot be read here).
   */
  public List<Long> serverPids() {
    List<Long> pids = new ArrayList<>();
    for (Master master : masters) {
      long pid = Long.parseLong(infoField(master.connection(), "process_id"));
      pids.add(local(master.host()) && isRedisServer(pid) ? pid : -1);
    }
    return pids;
  }

  /**
   * Deletes every key starting with {@code prefix}, master by master (SCAN, then UNLINK, which
   * frees large values off Redis's main thread); returns how many were deleted.
   */
  public long deleteKeys(String prefix) throws Exception {
    long deleted = 0;
    ScanArgs match = ScanArgs.Builder.matches(prefix + "*").limit(1_000);
    for (Master master : masters) {
      ScanCursor cursor = ScanCursor.INITIAL;
      do {
        KeyScanCursor<byte[]> page = master.connection().sync().scan(cursor, match);
        if (!page.getKeys().isEmpty()) {
          // Through the shared connection: on a cluster Lettuce splits a multi-key UNLINK by slot.
          deleted +=
              commands
                  .unlink(page.getKeys().toArray(byte[][]::new))
                  .toCompletableFuture()
                  .get(60, TimeUnit.SECONDS);
        }
        cursor = page;
      } while (!cursor.isFinished());
    }
    return deleted;
  }

  @Override
  public void close() {
    try {
      connection.close();
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    } finally {
      if (started != null) {
        started.stop();
      }
    }
  }

  private static String infoField(StatefulRedisConnection<byte[], byte[]> c, String field) {
    for (String line : c.sync().info("server").split("\r?\n")) {
      if (line.startsWith(field + ":")) {
        return line.substring(field.length() + 1).trim();
      }
    }
    throw new IllegalStateException("INFO server has no " + field);
  }

  private static boolean local(String host) {
    return host.startsWith("127.") || host.equals("localhost") || host.equals("::1");
  }

  private static boolean isRedisServer(long pid) {
    try {
      return Files.readString(Path.of("/proc/" + pid + "/comm"), StandardCharsets.US_ASCII)
          .startsWith("redis-server");
    } catch (IOException e) {
      return false;
    }
  }

  /** A throwaway cluster started by {@code .ci/redis-cluster start DIR}, stopped by PID. */
  private static final class ClusterProcesses {
    final Path dir;
    final AtomicBoolean stopped = new AtomicBoolean();
    final Thread hook;
    String seeds;

    private ClusterProcesses(Path dir) {
      this.dir = dir;
      this.hook = new Thread(this::runStop, "redis-cluster-stop");
    }

    static ClusterProcesses start() throws IOException, InterruptedException {
      if (!Files.isExecutable(CLUSTER_SCRIPT)) {
        throw new IllegalStateException(
            CLUSTER_SCRIPT
                + " not found: run from the repository root, or pass --cluster host:port,..."
                + " (or set GIM_REDIS_CLUSTER)");
      }
      ClusterProcesses started =
          new ClusterProcesses(Files.createTempDirectory("gim-bench-redis-cluster"));
      // Registered before the script runs: a half-started cluster is stopped too.
      Runtime.getRuntime().addShutdownHook(started.hook);
      System.err.println("starting a Redis Cluster: " + CLUSTER_SCRIPT + " start " + started.dir);
      try {
        Process p =
            new ProcessBuilder(CLUSTER_SCRIPT.toString(), "start", started.dir.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.waitFor() != 0 || out.isEmpty()) {
          throw new IllegalStateException("the cluster did not start (" + CLUSTER_SCRIPT + ")");
        }
        String[] lines = out.split("\n");
        started.seeds = lines[lines.length - 1].trim();
        return started;
      } catch (IOException | InterruptedException | RuntimeException e) {
        started.stop();
        throw e;
      }
    }

    void stop() {
      runStop();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is exiting: the hook is running or has run
      }
    }

    private void runStop() {
      if (!stopped.compareAndSet(false, true)) {
        return;
      }
      try {
        Process p =
            new ProcessBuilder(CLUSTER_SCRIPT.toString(), "stop", dir.toString())
                .inheritIO()
                .start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
          System.err.println("redis-cluster stop " + dir + " did not finish in 60 s");
        } else {
          System.err.println("stopped the Redis Cluster in " + dir);
        }
      } catch (IOException e) {
        System.err.println("could not stop the Redis Cluster in " + dir + ": " + e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
