package io.gim.store.redis;

import io.gim.testkit.Services;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The Redis servers of the tests: the machine's Redis (127.0.0.1:6379, or {@code GIM_REDIS_URL})
 * and a three-master Redis Cluster ({@code GIM_REDIS_CLUSTER} seeds, as {@code .ci/run} exports
 * them, or else one this JVM starts through {@code .ci/redis-cluster} and stops when it exits).
 * Locally a missing Redis skips its tests with a loud message; under {@code CI=true} it fails them.
 *
 * <p>Every test works under a key prefix of its own ({@link #prefix()}) and deletes its keys
 * afterwards ({@link #deleteKeys}).
 */
public final class TestRedis {
  private static RedisClient singleClient;
  private static RedisClusterClient clusterClient;
  private static String clusterSeeds;

  private TestRedis() {}

  /** A fresh prefix for one test's keys. */
  public static String prefix() {
    return "test:" + UUID.randomUUID().toString().substring(0, 12) + ":";
  }

  /** The machine's single Redis as a URI. */
  public static String singleUri() {
    String uri = setting("GIM_REDIS_URL", "redis://127.0.0.1:6379");
    RedisURI parsed = RedisURI.create(uri);
    require("Redis", parsed.getHost(), parsed.getPort());
    return uri;
  }

  /** The test cluster as a {@code redis-cluster://} URI. */
  public static synchronized String clusterUri() {
    return "redis-cluster://" + clusterSeeds();
  }

  /** A shared client of the single Redis (left open: the JVM's tests share it). */
  public static synchronized RedisClient singleClient() {
    if (singleClient == null) {
      singleClient = RedisClient.create(singleUri());
      singleClient.setOptions(RedisStores.recommendedOptions(false));
    }
    return singleClient;
  }

  /** A shared client of the test cluster (left open: the JVM's tests share it). */
  public static synchronized RedisClusterClient clusterClient() {
    if (clusterClient == null) {
      List<RedisURI> seeds = new ArrayList<>();
      for (String seed : clusterSeeds().split(",")) {
        seeds.add(RedisURI.create("redis://" + seed));
      }
      clusterClient = RedisClusterClient.create(seeds);
      clusterClient.setOptions((ClusterClientOptions) RedisStores.recommendedOptions(true));
    }
    return clusterClient;
  }

  /** Stores on the single Redis under a prefix, through the shared client. */
  public static RedisStores single(String prefix) {
    return RedisStores.builder().client(singleClient()).prefix(prefix).build();
  }

  /** Stores on the test cluster under a prefix, through the shared client. */
  public static RedisStores cluster(String prefix) {
    return RedisStores.builder().client(clusterClient()).prefix(prefix).build();
  }

  /** The keys under {@code prefix} (on every master of a cluster) that match {@code pattern}. */
  public static List<String> keys(boolean cluster, String prefix, String pattern) {
    List<String> found = new ArrayList<>();
    ScanArgs match = ScanArgs.Builder.matches(prefix + pattern).limit(1_000);
    if (cluster) {
      try (StatefulRedisClusterConnection<String, String> c = clusterClient().connect()) {
        for (RedisClusterNode node : c.getPartitions()) {
          if (node.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
            scan(c.getConnection(node.getNodeId()).sync(), match, found);
          }
        }
      }
    } else {
      try (StatefulRedisConnection<String, String> c = singleClient().connect()) {
        scan(c.sync(), match, found);
      }
    }
    return found;
  }

  /** Deletes every key under {@code prefix}. */
  public static void deleteKeys(boolean cluster, String prefix) {
    ScanArgs match = ScanArgs.Builder.matches(prefix + "*").limit(1_000);
    if (cluster) {
      try (StatefulRedisClusterConnection<String, String> c = clusterClient().connect()) {
        for (RedisClusterNode node : c.getPartitions()) {
          if (node.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
            // Through the node's own connection: the keys found there live there.
            var commands = c.getConnection(node.getNodeId()).sync();
            List<String> doomed = new ArrayList<>();
            scan(commands, match, doomed);
            doomed.forEach(commands::del);
          }
        }
      }
    } else {
      try (StatefulRedisConnection<String, String> c = singleClient().connect()) {
        List<String> doomed = new ArrayList<>();
        scan(c.sync(), match, doomed);
        if (!doomed.isEmpty()) {
          c.sync().del(doomed.toArray(String[]::new));
        }
      }
    }
  }

  private static void scan(
      io.lettuce.core.cluster.api.sync.RedisClusterCommands<String, String> commands,
      ScanArgs match,
      List<String> into) {
    ScanCursor cursor = ScanCursor.INITIAL;
    do {
      KeyScanCursor<String> page = commands.scan(cursor, match);
      into.addAll(page.getKeys());
      cursor = page;
    } while (!cursor.isFinished());
  }

  private static String clusterSeeds() {
    synchronized (TestRedis.class) {
      if (clusterSeeds != null) {
        return clusterSeeds;
      }
      String fromEnv = setting("GIM_REDIS_CLUSTER", null);
      String seeds = fromEnv != null ? fromEnv : startCluster();
      String first = seeds.split(",")[0];
      require(
          "Redis Cluster",
          first.substring(0, first.lastIndexOf(':')),
          Integer.parseInt(first.substring(first.lastIndexOf(':') + 1)));
      clusterSeeds = seeds;
      return seeds;
    }
  }

  /** Starts a cluster for this JVM through the CI script and stops it when the JVM exits. */
  private static String startCluster() {
    Path script = repositoryRoot().resolve(".ci/redis-cluster");
    try {
      Path dir = Files.createTempDirectory("gim-redis-cluster");
      Files.delete(dir); // the script makes it
      Process p =
          new ProcessBuilder("bash", script.toString(), "start", dir.toString())
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      String seeds = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0 || seeds.isEmpty()) {
        return unavailable("Redis Cluster", "could not be started by " + script);
      }
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      new ProcessBuilder("bash", script.toString(), "stop", dir.toString())
                          .inheritIO()
                          .start()
                          .waitFor(30, TimeUnit.SECONDS);
                    } catch (IOException | InterruptedException e) {
                      // the JVM is exiting; the PIDs stay in dir for a manual stop
                    }
                  }));
      return seeds;
    } catch (IOException e) {
      return unavailable("Redis Cluster", "could not be started: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return unavailable("Redis Cluster", "start interrupted");
    }
  }

  private static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve(".ci/redis-cluster"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException(
          ".ci/redis-cluster not found above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }

  private static void require(String name, String host, int port) {
    try (Socket s = new Socket()) {
      s.connect(new java.net.InetSocketAddress(host, port), (int) Duration.ofSeconds(2).toMillis());
    } catch (IOException e) {
      unavailable(name, "is not reachable at " + host + ":" + port + " (" + e.getMessage() + ")");
    }
  }

  private static String unavailable(String name, String why) {
    throw Services.missing(name, why);
  }

  private static String setting(String name, String fallback) {
    String value = System.getenv(name);
    return value == null ? System.getProperty(name, fallback) : value;
  }
}
