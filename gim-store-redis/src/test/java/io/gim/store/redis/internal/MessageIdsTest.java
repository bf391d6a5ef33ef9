package io.gim.store.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.gim.testkit.LocalRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Message ids under many concurrent callers and small blocks (a refill every few ids): every call
 * gets an id, all distinct, whichever thread the refills complete on.
 */
class MessageIdsTest {

  @Test
  void manyConcurrentCallersAcrossManyRefillsGetDistinctIds() throws Exception {
    try (LocalRedis redis = LocalRedis.start()) {
      io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(redis.uri());
      try (RedisTarget target = RedisTarget.connect(client, true, Duration.ofSeconds(10))) {
        MessageIds ids = new MessageIds(target, Keys.bytes("ids"), 7);
        int threads = 4;
        int perThread = 20_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<List<CompletableFuture<Long>>>> calls = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          calls.add(
              pool.submit(
                  () -> {
                    List<CompletableFuture<Long>> mine = new ArrayList<>(perThread);
                    for (int i = 0; i < perThread; i++) {
                      mine.add(ids.next());
                    }
                    return mine;
                  }));
        }
        Set<Long> seen = new HashSet<>();
        for (Future<List<CompletableFuture<Long>>> f : calls) {
          for (CompletableFuture<Long> id : f.get()) {
            seen.add(id.get(30, TimeUnit.SECONDS));
          }
        }
        pool.shutdown();

        assertThat(seen).hasSize(threads * perThread);
        // Seeded from the clock: above every id a store that lost its counter handed out before.
        assertThat(seen.stream().mapToLong(Long::longValue).min().orElseThrow())
            .isGreaterThan((System.currentTimeMillis() - 60_000) << 20);
      }
    }
  }
}
