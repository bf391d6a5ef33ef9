package io.gim.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gim.spi.GimErrorCode;
import io.gim.spi.GimException;
import io.gim.spi.store.AppendRequest;
import io.gim.spi.store.AppendResult;
import io.gim.spi.store.DedupeKey;
import io.gim.spi.store.MessageStore;
import io.gim.spi.store.NewMessage;
import io.gim.spi.store.StoredMessage;
import io.gim.spi.store.SyncPage;
import io.gim.testkit.Inboxes;
import io.gim.testkit.LocalRedis;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Redis going away under load, on a private {@code redis-server} process: connections cut, the
 * server stopped and started, its data lost. Calls fail with 10303 and nothing else, nothing
 * acknowledged is missing, and the store works again without being rebuilt.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RedisConnectionLossIT {
  private static final long ALICE = 1_001;
  private static final long BOB = 1_002;
  private static final Duration WINDOW = Duration.ofHours(1);

  private final List<AutoCloseable> opened = new ArrayList<>();

  @AfterEach
  void closeEverything() throws Exception {
    for (int i = opened.size() - 1; i >= 0; i--) {
      opened.get(i).close();
    }
  }

  private LocalRedis redis(boolean appendOnly) {
    LocalRedis redis = LocalRedis.start(appendOnly);
    opened.add(redis);
    return redis;
  }

  private MessageStore store(LocalRedis redis) {
    RedisStores stores = RedisStores.of(redis.uri());
    opened.add(stores);
    return stores.messages();
  }

  @Test
  void everyAcknowledgedSendIsStoredOnceWhileRedisKeepsCuttingConnections() throws Exception {
    LocalRedis redis = redis(false);
    MessageStore store = store(redis);
    int senders = 4;
    int perSender = 250;
    Map<String, AppendResult> acknowledged = new ConcurrentHashMap<>();
    List<Integer> failureCodes = new CopyOnWriteArrayList<>();
    AtomicBoolean sending = new AtomicBoolean(true);
    AtomicInteger cuts = new AtomicInteger();

    ExecutorService pool = Executors.newFixedThreadPool(senders + 1);
    try {
      Future<?> cutter =
          pool.submit(
              () -> {
                // Forty cuts while the senders run, then the network heals.
                for (int i = 0; i < 40 && sending.get(); i++) {
                  String reply = redis.killClients();
                  if (reply.startsWith(":") && !reply.equals(":0")) {
                    cuts.incrementAndGet();
                  }
                  sleep(50);
                }
              });
      List<Future<?>> work = new ArrayList<>();
      for (int s = 0; s < senders; s++) {
        int sender = s;
        work.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < perSender; i++) {
                    String key = "s" + sender + "-" + i;
                    // A client retries a failed send with the same client_msg_id until it is acked.
                    while (true) {
                      try {
                        acknowledged.put(
                            key,
                            store
                                .append(send(key))
                                .toCompletableFuture()
                                .get(30, TimeUnit.SECONDS));
                        break;
                      } catch (ExecutionException e) {
                        failureCodes.add(GimException.from(e.getCause()).code());
                        sleep(5);
                      }
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : work) {
        f.get();
      }
      sending.set(false);
      cutter.get();
    } finally {
      pool.shutdownNow();
    }

    assertThat(cuts.get()).as("connections the server cut").isPositive();
    assertThat(failureCodes).containsOnly(GimErrorCode.STORE_UNAVAILABLE.code());
    // Every acknowledged send is in both inboxes, at the seq its ack gave, exactly once.
    for (long user : List.of(ALICE, BOB)) {
      List<StoredMessage> inbox = syncAll(store, user);
      assertThat(inbox).hasSize(senders * perSender);
      Map<Long, Long> idBySeq = new ConcurrentHashMap<>();
      inbox.forEach(m -> idBySeq.put(m.seq(), m.messageId()));
      for (AppendResult r : acknowledged.values()) {
        if (r.duplicate() && user == BOB) {
          // A retry whose first try was stored (its answer lost in a cut) reports the sender's
          // seq only; the message is there all the same.
          assertThat(idBySeq).containsValue(r.messageId());
        } else {
          assertThat(idBySeq.get(r.seqOf(user))).isEqualTo(r.messageId());
        }
      }
      Set<String> texts = new HashSet<>();
      inbox.forEach(m -> texts.add(new String(m.content(), StandardCharsets.UTF_8)));
      assertThat(texts).hasSize(senders * perSender);
    }
  }

  @Test
  void whileRedisIsDownCallsFailWith10303AndWorkAgainOnceItIsBack() throws Exception {
    LocalRedis redis = redis(true); // appendfsync always: the restart keeps what was acked
    MessageStore store = store(redis);
    List<AppendResult> before = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      before.add(store.append(send("before-" + i)).toCompletableFuture().get(10, TimeUnit.SECONDS));
    }
    long epoch = store.sync(ALICE, 0, 10).toCompletableFuture().get().epoch();

    redis.stop();
    assertThat(failureCode(store.append(send("while-down")))).isEqualTo(10303);
    assertThat(failureCode(store.sync(ALICE, 0, 10))).isEqualTo(10303);
    assertThat(failureCode(store.ack(ALICE, 1, 1))).isEqualTo(10303);

    redis.restart();
    AppendResult after =
        await()
            .atMost(Duration.ofSeconds(60))
            .ignoreExceptions()
            .until(
                () -> store.append(send("after")).toCompletableFuture().get(5, TimeUnit.SECONDS),
                r -> r != null);

    SyncPage page = store.sync(ALICE, 0, 100).toCompletableFuture().get();
    assertThat(page.epoch()).isEqualTo(epoch);
    List<Long> ids = page.messages().stream().map(StoredMessage::messageId).toList();
    assertThat(ids).containsAll(before.stream().map(AppendResult::messageId).toList());
    assertThat(ids).contains(after.messageId());
    assertThat(texts(page.messages())).doesNotContain("while-down");
  }

  @Test
  void aRedisThatLostItsDataAnswersWithANewEpochAndNeverRepeatsAMessageId() throws Exception {
    LocalRedis redis = redis(false);
    MessageStore store = store(redis);
    long oldLargestId = 0;
    for (int i = 0; i < 3; i++) {
      oldLargestId =
          Math.max(
              oldLargestId, store.append(send("old-" + i)).toCompletableFuture().get().messageId());
    }
    long oldEpoch = store.sync(ALICE, 0, 10).toCompletableFuture().get().epoch();

    redis.flushAll();
    AppendResult fresh = store.append(send("new")).toCompletableFuture().get();
    SyncPage page = store.sync(ALICE, 0, 10).toCompletableFuture().get();

    assertThat(page.epoch()).isNotEqualTo(oldEpoch).isNotZero();
    assertThat(texts(page.messages())).containsExactly("new");
    // Clients that saw the epoch change dedupe by message id: a new message never reuses one.
    assertThat(fresh.messageId()).isGreaterThan(oldLargestId);
    assertThat(store.sync(BOB, 0, 10).toCompletableFuture().get().epoch()).isEqualTo(page.epoch());
  }

  private static AppendRequest send(String clientMsgId) {
    NewMessage m =
        new NewMessage(
            ALICE, 7, 1, clientMsgId.getBytes(StandardCharsets.UTF_8), System.currentTimeMillis());
    return new AppendRequest(m, List.of(ALICE, BOB), new DedupeKey(ALICE, 7, clientMsgId), WINDOW);
  }

  private static List<StoredMessage> syncAll(MessageStore store, long user) {
    return Inboxes.syncAll(store, user, 500);
  }

  private static List<String> texts(List<StoredMessage> messages) {
    return messages.stream().map(m -> new String(m.content(), StandardCharsets.UTF_8)).toList();
  }

  private static int failureCode(java.util.concurrent.CompletionStage<?> stage) {
    try {
      stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
      return 0;
    } catch (ExecutionException e) {
      return GimException.from(e.getCause()).code();
    } catch (Exception e) {
      throw new AssertionError("no answer", e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
