package io.gim.store.jdbc;

import static io.gim.store.jdbc.JdbcRecoveryTest.failure;
import static io.gim.store.jdbc.JdbcRecoveryTest.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.gim.spi.GimErrorCode;
import io.gim.spi.store.AppendRequest;
import io.gim.spi.store.DedupeKey;
import io.gim.spi.store.MessageStore;
import io.gim.spi.store.NewMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Calls that wait for the store's one thread while a connection is stalled: cancelled ones never
 * reach the database, and closing the store fails them instead of leaving them pending. On MariaDB
 * and PostgreSQL the queued small appends go through group commit.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class LifecycleChecks {
  private SwitchableDataSource db;
  private JdbcStores stores;
  private MessageStore store;
  private final long user = ThreadLocalRandom.current().nextLong(1, 1L << 40) * 1_000_000L;
  private final long device = user + 7;
  private CompletionStage<?> running;

  /** The database, a pool of at least two connections if pooled; closed after the test. */
  protected abstract DataSource target();

  @BeforeEach
  void open() {
    db = new SwitchableDataSource(target());
    stores = JdbcStores.builder().dataSource(db).maxPoolSize(1).build();
    store = stores.messages();
  }

  @AfterEach
  void close() throws Exception {
    db.release();
    stores.close();
    if (db.target() instanceof AutoCloseable pool) {
      pool.close();
    }
  }

  @Test
  void cancelledCallsThatHaveNotStartedNeverReachTheDatabase() throws Exception {
    List<CompletionStage<?>> cancelled = queueBehindAStalledCall();
    cancelled.forEach(s -> s.toCompletableFuture().cancel(false));
    // One thread takes calls in order: when this one is answered, the cancelled ones were taken.
    CompletionStage<Long> after = store.maxAck(user);
    int borrowedBefore = db.borrowed();
    db.release();
    get(running);
    assertThat(get(after)).as("the cancelled ack recorded nothing").isZero();

    assertThat(db.borrowed() - borrowedBefore)
        .as("connections taken by the running call and the one after the cancelled ones")
        .isEqualTo(2);
    assertThat(get(store.sync(user, 0, 100)).messages())
        .extracting(m -> new String(m.content(), StandardCharsets.UTF_8))
        .containsExactly("before");
    assertThat(get(store.append(request("keyed", "k-1"))).duplicate())
        .as("the cancelled append claimed no dedupe key")
        .isFalse();
  }

  @Test
  void closeFailsQueuedCallsAndLaterCallsWithStoreUnavailable() throws Exception {
    List<CompletionStage<?>> queued = queueBehindAStalledCall();

    CompletableFuture<Void> closing = CompletableFuture.runAsync(stores::close);
    // While the running call still waits: close does not wait for the queue to drain.
    for (CompletionStage<?> stage : queued) {
      assertThat(failure(stage).code()).isEqualTo(GimErrorCode.STORE_UNAVAILABLE.code());
    }
    assertThat(failure(store.append(request("late", null))).code())
        .isEqualTo(GimErrorCode.STORE_UNAVAILABLE.code());
    assertThat(failure(store.sync(user, 0, 10)).code())
        .isEqualTo(GimErrorCode.STORE_UNAVAILABLE.code());
    db.release();
    closing.get(20, TimeUnit.SECONDS);
    assertThat(running.toCompletableFuture()).isDone();
  }

  /**
   * Stores one message, then makes {@link #running} wait for a connection and queues every kind of
   * call behind it, small appends several times.
   */
  private List<CompletionStage<?>> queueBehindAStalledCall() throws Exception {
    long seq = get(store.append(request("before", null))).seqOf(user);
    db.stall();
    running = store.sync(user, 0, 10);
    List<CompletionStage<?>> queued = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      queued.add(store.append(request("queued " + i, null)));
    }
    queued.add(store.append(request("queued keyed", "k-1")));
    queued.add(
        store.append(
            AppendRequest.of(
                new NewMessage(user, device, 1, new byte[] {1}, System.currentTimeMillis()),
                List.of(user, user + 1, user + 2))));
    queued.add(store.ack(user, device, seq));
    queued.add(store.maxAck(user));
    queued.add(store.sync(user, 0, 10));
    return queued;
  }

  private AppendRequest request(String text, String clientMsgId) {
    NewMessage m =
        new NewMessage(
            user, device, 1, text.getBytes(StandardCharsets.UTF_8), System.currentTimeMillis());
    if (clientMsgId == null) {
      return AppendRequest.of(m, List.of(user));
    }
    return new AppendRequest(
        m, List.of(user), new DedupeKey(user, device, clientMsgId), Duration.ofHours(1));
  }
}
