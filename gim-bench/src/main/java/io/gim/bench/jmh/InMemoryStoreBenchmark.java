package io.gim.bench.jmh;

import io.gim.core.memory.InMemoryMessageStore;
import io.gim.spi.store.AppendRequest;
import io.gim.spi.store.AppendResult;
import io.gim.spi.store.NewMessage;
import io.gim.spi.store.SyncPage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The in-memory store's append (1 and 100 receivers) and a sync page from a 10,000 backlog. The
 * appends go to a store with a retention, in messages already past it: each inbox is purged every
 * 64 appends, so the figure is a retention store's steady state (append plus its share of the
 * purge). Appending for ever to a store that keeps everything measured its growth and the
 * collector's work on it instead: error bars of several times the score.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
public class InMemoryStoreBenchmark {
  private final byte[] content = new byte[100];
  private InMemoryMessageStore store;
  private InMemoryMessageStore purging;
  private List<Long> group;
  private long syncUser;
  private long after;

  @Setup
  public void setUp() {
    store = new InMemoryMessageStore();
    purging = InMemoryMessageStore.withInboxRetention(Duration.ofSeconds(1));
    group = new ArrayList<>();
    for (long u = 1000; u < 1100; u++) {
      group.add(u);
    }
    syncUser = 5;
    for (int i = 0; i < 10_000; i++) {
      store.append(AppendRequest.of(message(), List.of(syncUser))).toCompletableFuture().join();
    }
  }

  private NewMessage message() {
    return new NewMessage(1, 1, 1, content, 0);
  }

  @Benchmark
  public AppendResult appendToOneInbox() {
    return purging.append(AppendRequest.of(message(), List.of(2L))).toCompletableFuture().join();
  }

  @Benchmark
  public AppendResult appendToHundredInboxes() {
    return purging.append(AppendRequest.of(message(), group)).toCompletableFuture().join();
  }

  /** A page of 500 (the server's max), walking through the backlog and starting over. */
  @Benchmark
  public SyncPage syncPageOf500() {
    SyncPage page = store.sync(syncUser, after, 500).toCompletableFuture().join();
    after = page.hasMore() ? after + 500 : 0;
    return page;
  }
}
