package io.gim.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.gim.spi.store.AppendRequest;
import io.gim.spi.store.AppendResult;
import io.gim.spi.store.MessageStore;
import io.gim.spi.store.NewMessage;
import io.gim.spi.store.StoredMessage;
import io.gim.spi.store.SyncPage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Concurrent fan-outs to overlapping receivers, larger than the batch size so that one append spans
 * several chunks: no deadlock reaches a caller, and every user's inbox holds exactly seqs 1..n with
 * n its number of appends (no seq skipped, none lost, none doubled).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
abstract class FanOutConcurrencyChecks {
  private static final int USERS = 600;
  private static final int THREADS = 8;
  private static final int APPENDS_PER_THREAD = 25;

  /** The store under test; shared stores are fine, the users are fresh random ids. */
  protected abstract MessageStore store();

  @Test
  void overlappingFanOutsNeitherDeadlockNorSkipASeq() throws Exception {
    MessageStore store = store();
    long base = ThreadLocalRandom.current().nextLong(1, 1L << 40) * 1_000_000L;
    List<Long> users = new ArrayList<>();
    for (int i = 0; i < USERS; i++) {
      users.add(base + i);
    }
    Map<Long, AtomicInteger> expected = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        long seed = base + t;
        done.add(
            pool.submit(
                () -> {
                  Random random = new Random(seed);
                  for (int i = 0; i < APPENDS_PER_THREAD; i++) {
                    List<Long> receivers = new ArrayList<>(users);
                    Collections.shuffle(receivers, random);
                    // 1 to 600 receivers: small sends and fan-outs over several 1,000-row chunks
                    // alike.
                    receivers = receivers.subList(0, 1 + random.nextInt(USERS));
                    NewMessage m =
                        new NewMessage(base, 1, 2, new byte[] {1}, System.currentTimeMillis());
                    AppendResult r =
                        store
                            .append(AppendRequest.of(m, receivers))
                            .toCompletableFuture()
                            .get(60, TimeUnit.SECONDS);
                    assertThat(r.seqs()).hasSize(receivers.size());
                    receivers.forEach(
                        u ->
                            expected
                                .computeIfAbsent(u, k -> new AtomicInteger())
                                .incrementAndGet());
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get(100, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    for (long u : users) {
      int n = expected.getOrDefault(u, new AtomicInteger()).get();
      List<Long> seqs = syncAll(store, u).stream().map(StoredMessage::seq).toList();
      List<Long> contiguous = new ArrayList<>();
      for (long s = 1; s <= n; s++) {
        contiguous.add(s);
      }
      assertThat(seqs).as("inbox of user %d", u).isEqualTo(contiguous);
    }
  }

  /**
   * Many senders pipelining 1:1 appends to one receiver, so that group commit batches them on
   * several store threads at once, while the receiver syncs from its cursor all along: every seq it
   * is ever handed is above its cursor (nothing appears later below a seq already seen), each
   * append's seq is the one sync returns for its message, and the inbox ends as exactly 1..n.
   */
  @Test
  void concurrentSendersToOneReceiverNeverLetSyncSkipASeq() throws Exception {
    MessageStore store = store();
    long base = ThreadLocalRandom.current().nextLong(1, 1L << 40) * 1_000_000L;
    long receiver = base;
    int senders = 20;
    int perSender = 100;
    List<CompletableFuture<AppendResult>> appends = new ArrayList<>();
    AtomicBoolean sending = new AtomicBoolean(true);
    CompletableFuture<List<StoredMessage>> seen =
        CompletableFuture.supplyAsync(
            () -> {
              List<StoredMessage> all = new ArrayList<>();
              long cursor = 0;
              try {
                while (sending.get() || all.size() < senders * perSender) {
                  SyncPage page =
                      store
                          .sync(receiver, cursor, 500)
                          .toCompletableFuture()
                          .get(30, TimeUnit.SECONDS);
                  for (StoredMessage m : page.messages()) {
                    assertThat(m.seq()).isGreaterThan(cursor);
                    cursor = m.seq();
                    all.add(m);
                  }
                }
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
              return all;
            });
    try {
      for (int i = 0; i < perSender; i++) {
        for (int s = 1; s <= senders; s++) {
          NewMessage m =
              new NewMessage(base + s, 1, 1, new byte[] {(byte) s}, System.currentTimeMillis());
          appends.add(
              store.append(AppendRequest.of(m, List.of(base + s, receiver))).toCompletableFuture());
        }
      }
      Map<Long, Long> seqOfMessage = new HashMap<>();
      for (CompletableFuture<AppendResult> f : appends) {
        AppendResult r = f.get(60, TimeUnit.SECONDS);
        seqOfMessage.put(r.messageId(), r.seqOf(receiver));
      }
      sending.set(false);
      List<StoredMessage> synced = seen.get(60, TimeUnit.SECONDS);
      List<Long> contiguous = new ArrayList<>();
      for (long q = 1; q <= senders * perSender; q++) {
        contiguous.add(q);
      }
      assertThat(synced).extracting(StoredMessage::seq).isEqualTo(contiguous);
      for (StoredMessage m : synced) {
        assertThat(seqOfMessage.get(m.messageId())).isEqualTo(m.seq());
      }
      // Each sender's own inbox: its appends in the order it made them.
      for (int s = 1; s <= senders; s++) {
        long sender = base + s;
        List<Long> ownSeqs = new ArrayList<>();
        for (int i = 0; i < perSender; i++) {
          ownSeqs.add(appends.get(i * senders + s - 1).get().seqOf(sender));
        }
        assertThat(ownSeqs).isEqualTo(contiguous.subList(0, perSender));
      }
    } finally {
      sending.set(false);
    }
  }

  private static List<StoredMessage> syncAll(MessageStore store, long user) throws Exception {
    List<StoredMessage> all = new ArrayList<>();
    long after = 0;
    SyncPage page;
    do {
      page = store.sync(user, after, 500).toCompletableFuture().get(10, TimeUnit.SECONDS);
      all.addAll(page.messages());
      if (!page.messages().isEmpty()) {
        after = page.messages().get(page.messages().size() - 1).seq();
      }
    } while (page.hasMore());
    return all;
  }
}
