package io.gim.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.gim.spi.GimErrorCode;
import io.gim.spi.GimException;
import io.gim.spi.store.AppendRequest;
import io.gim.spi.store.AppendResult;
import io.gim.spi.store.DedupeKey;
import io.gim.spi.store.MessageStore;
import io.gim.spi.store.NewMessage;
import io.gim.spi.store.StoredMessage;
import io.gim.testkit.Inboxes;
import io.gim.testkit.LocalRedis;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A cluster of its own (started through {@code .ci/redis-cluster}, so that cutting its connections
 * touches no other test) whose nodes keep cutting every client connection while group sends fan out
 * over many slots: some fan-outs fail half-way, clients retry with the same key, and in the end
 * every member has every acknowledged message exactly once.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RedisClusterConnectionLossIT {
  private static final Duration WINDOW = Duration.ofHours(1);

  private Path dir;
  private List<Integer> ports;
  private RedisStores stores;

  @BeforeEach
  void startCluster() throws Exception {
    dir = Files.createTempDirectory("gim-cut-cluster");
    Files.delete(dir);
    Path script = Path.of("..", ".ci", "redis-cluster").toAbsolutePath().normalize();
    Process p =
        new ProcessBuilder("bash", script.toString(), "start", dir.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String seeds = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0)
        .as("cluster started by " + script)
        .isTrue();
    ports = new ArrayList<>();
    for (String seed : seeds.split(",")) {
      ports.add(Integer.parseInt(seed.substring(seed.lastIndexOf(':') + 1)));
    }
    stores = RedisStores.of("redis-cluster://" + seeds);
  }

  @AfterEach
  void stopCluster() throws IOException, InterruptedException {
    if (stores != null) {
      stores.close();
    }
    Path script = Path.of("..", ".ci", "redis-cluster").toAbsolutePath().normalize();
    new ProcessBuilder("bash", script.toString(), "stop", dir.toString())
        .inheritIO()
        .start()
        .waitFor(60, TimeUnit.SECONDS);
  }

  @Test
  void groupSendsRetriedThroughCutsReachEveryMemberExactlyOnce() throws Exception {
    MessageStore store = stores.messages();
    long base = ThreadLocalRandom.current().nextLong(1, 1L << 40) * 1_000_000L;
    List<Long> members = LongStream.range(0, 24).map(i -> base + i).boxed().toList();
    int senders = 3;
    int perSender = 40;
    Map<String, AppendResult> acknowledged = new ConcurrentHashMap<>();
    List<Integer> failureCodes = new CopyOnWriteArrayList<>();
    AtomicInteger cuts = new AtomicInteger();

    ExecutorService pool = Executors.newFixedThreadPool(senders + 1);
    try {
      List<Future<?>> work = new ArrayList<>();
      for (int s = 0; s < senders; s++) {
        long sender = members.get(s);
        work.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < perSender; i++) {
                    String key = sender + "-" + i;
                    AppendRequest send =
                        new AppendRequest(
                            new NewMessage(
                                sender, 1, 2, key.getBytes(StandardCharsets.UTF_8), 1_000L + i),
                            members,
                            new DedupeKey(sender, 1, key),
                            WINDOW);
                    while (true) { // the client retries with the same key until acknowledged
                      try {
                        acknowledged.put(
                            key,
                            store.append(send).toCompletableFuture().get(30, TimeUnit.SECONDS));
                        break;
                      } catch (ExecutionException e) {
                        failureCodes.add(GimException.from(e.getCause()).code());
                        Thread.sleep(10);
                      }
                    }
                  }
                  return null;
                }));
      }
      Future<?> cutter =
          pool.submit(
              () -> {
                for (int i = 0; i < 30; i++) {
                  for (int port : ports) {
                    String reply = LocalRedisCommands.killClients(port);
                    if (reply.startsWith(":") && !reply.equals(":0")) {
                      cuts.incrementAndGet();
                    }
                  }
                  Thread.sleep(40);
                }
                return null;
              });
      for (Future<?> f : work) {
        f.get();
      }
      cutter.get();
    } finally {
      pool.shutdownNow();
    }

    System.out.printf(
        "cuts %d, failed tries %d, acks of a retry that found its send stored %d%n",
        cuts.get(),
        failureCodes.size(),
        acknowledged.values().stream().filter(AppendResult::duplicate).count());
    assertThat(cuts.get()).as("connections the nodes cut").isPositive();
    assertThat(failureCodes).containsOnly(GimErrorCode.STORE_UNAVAILABLE.code());
    assertThat(acknowledged).hasSize(senders * perSender);
    Map<Long, String> keyById =
        acknowledged.entrySet().stream()
            .collect(Collectors.toMap(e -> e.getValue().messageId(), Map.Entry::getKey));
    assertThat(keyById).hasSize(senders * perSender); // one message per send, retries included
    for (long member : members) {
      List<StoredMessage> inbox = Inboxes.syncAll(store, member, 500);
      assertThat(inbox.stream().map(StoredMessage::messageId).toList())
          .as("inbox of member %d", member)
          .hasSize(senders * perSender)
          .doesNotHaveDuplicates()
          .containsExactlyInAnyOrderElementsOf(keyById.keySet());
      assertThat(inbox.stream().map(StoredMessage::seq).toList()).isSorted();
    }
  }

  /** The kill command of {@link LocalRedis}, sent to one node of the test's cluster. */
  private static final class LocalRedisCommands {
    static String killClients(int port) {
      return LocalRedis.command(port, "CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes");
    }
  }
}
