package io.gim.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.gim.spi.GimErrorCode;
import io.gim.spi.GimException;
import io.gim.spi.store.AppendRequest;
import io.gim.spi.store.AppendResult;
import io.gim.spi.store.MessageStore;
import io.gim.spi.store.NewMessage;
import io.gim.spi.store.SyncPage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Failures a durable store must survive, on H2 behind a host data source that a test controls. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JdbcRecoveryTest {
  private final long user = ThreadLocalRandom.current().nextLong(1, 1L << 40) * 1_000_000L;

  @Test
  void failsWithStoreUnavailableWhileTheDatabaseIsDownAndRecoversWithoutARestart()
      throws Exception {
    SwitchableDataSource db = new SwitchableDataSource(h2(TestDatabases.tempDir().resolve("gim")));
    try (JdbcStores stores = JdbcStores.of(db)) {
      MessageStore store = stores.messages();
      get(store.append(request("before")));

      db.down(true);
      assertThat(failureCode(store.append(request("lost"))))
          .isEqualTo(GimErrorCode.STORE_UNAVAILABLE.code());
      assertThat(failureCode(store.sync(user, 0, 10)))
          .isEqualTo(GimErrorCode.STORE_UNAVAILABLE.code());

      db.down(false);
      get(store.append(request("after")));
      SyncPage page = get(store.sync(user, 0, 10));
      assertThat(page.messages())
          .extracting(m -> new String(m.content(), StandardCharsets.UTF_8))
          .containsExactly("before", "after");
    }
  }

  @Test
  void failuresReachCallersAsFixedTextsWithoutDriverOrSqlDetails() throws Exception {
    SwitchableDataSource db = new SwitchableDataSource(h2(TestDatabases.tempDir().resolve("gim")));
    try (JdbcStores stores = JdbcStores.of(db)) {
      MessageStore store = stores.messages();
      db.down(true);
      for (CompletionStage<?> failed :
          List.of(store.append(request("lost")), store.sync(user, 0, 10), store.maxAck(user))) {
        GimException e = failure(failed);
        assertThat(e.code()).isEqualTo(GimErrorCode.STORE_UNAVAILABLE.code());
        assertThat(e.getMessage()).isEqualTo("store unavailable");
      }
    }
  }

  @Test
  void fullQueueFailsFastWithBusy() throws Exception {
    SwitchableDataSource db = new SwitchableDataSource(h2(TestDatabases.tempDir().resolve("gim")));
    try (JdbcStores stores =
        JdbcStores.builder().dataSource(db).maxPoolSize(1).queueCapacity(1).build()) {
      MessageStore store = stores.messages();
      db.stall();
      CompletionStage<AppendResult> running = store.append(request("running"));
      // The one thread may not have taken the first task yet: fill until a call is refused.
      List<CompletionStage<AppendResult>> accepted = new ArrayList<>(List.of(running));
      CompletionStage<AppendResult> next;
      while (!isBusy(next = store.append(request("queued " + accepted.size())))) {
        accepted.add(next);
        assertThat(accepted.size())
            .as("calls accepted by one thread and a queue of one")
            .isLessThanOrEqualTo(2);
      }
      db.release();
      // All of them: the queued append may still sit in the queue when the first completes, and a
      // sync sent then would be refused too.
      for (CompletionStage<AppendResult> stage : accepted) {
        get(stage);
      }
      assertThat(get(store.sync(user, 0, 10)).messages()).hasSize(accepted.size());
    }
  }

  @Test
  void theDefaultQueueHoldsTheFullPipelinesOfManyConnectionsWithoutRefusingAny() throws Exception {
    HikariConfig config = new HikariConfig();
    config.setDataSource(h2(TestDatabases.tempDir().resolve("gim")));
    config.setMaximumPoolSize(2);
    SwitchableDataSource db = new SwitchableDataSource(new HikariDataSource(config));
    try (JdbcStores stores = JdbcStores.builder().dataSource(db).maxPoolSize(1).build();
        HikariDataSource pool = (HikariDataSource) db.target()) {
      MessageStore store = stores.messages();
      db.stall();
      // 40 connections, each with the engine's most requests in flight (256), all waiting.
      List<CompletionStage<SyncPage>> waiting = new ArrayList<>();
      for (int i = 0; i < 40 * 256; i++) {
        waiting.add(store.sync(user, 0, 1));
      }
      assertThat(waiting).noneMatch(JdbcRecoveryTest::isBusy);
      db.release();
      for (CompletionStage<SyncPage> stage : waiting) {
        get(stage);
      }
    }
  }

  @Test
  void builderRefusesARetentionBelowOneMillisecondAndAPurgeIntervalBelowTen() {
    String url = "jdbc:h2:file:" + TestDatabases.tempDir().resolve("gim");
    assertThatThrownBy(() -> JdbcStores.builder().url(url).inboxRetention(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("inboxRetention: PT0S");
    assertThatThrownBy(
            () -> JdbcStores.builder().url(url).purgeInterval(Duration.ofMillis(9)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("purgeInterval: PT0.009S");
  }

  @Test
  void aReopenedFileDatabaseKeepsMessagesAndEpoch() throws Exception {
    Path path = TestDatabases.tempDir().resolve("gim");
    AppendResult stored;
    long epoch;
    try (JdbcStores stores = JdbcStores.h2(path)) {
      stored = get(stores.messages().append(request("kept")));
      epoch = get(stores.messages().sync(user, 0, 10)).epoch();
    }
    try (JdbcStores reopened = JdbcStores.h2(path)) {
      SyncPage page = get(reopened.messages().sync(user, 0, 10));
      assertThat(page.epoch()).isEqualTo(epoch);
      assertThat(page.messages())
          .singleElement()
          .satisfies(
              m -> {
                assertThat(m.messageId()).isEqualTo(stored.messageId());
                assertThat(m.seq()).isEqualTo(stored.seqOf(user));
              });
      AppendResult next = get(reopened.messages().append(request("next")));
      assertThat(next.seqOf(user)).isGreaterThan(stored.seqOf(user));
      assertThat(next.messageId()).isNotEqualTo(stored.messageId());
    }
  }

  @Test
  void callsAfterCloseFailWithStoreUnavailable() throws Exception {
    JdbcStores stores = JdbcStores.h2(TestDatabases.tempDir().resolve("gim"));
    stores.close();
    stores.close();
    assertThat(failureCode(stores.messages().append(request("late"))))
        .isEqualTo(GimErrorCode.STORE_UNAVAILABLE.code());
  }

  private AppendRequest request(String text) {
    return AppendRequest.of(
        new NewMessage(
            user, 1, 1, text.getBytes(StandardCharsets.UTF_8), System.currentTimeMillis()),
        List.of(user));
  }

  private static JdbcDataSource h2(Path path) {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:file:" + path.toAbsolutePath());
    ds.setUser("sa");
    return ds;
  }

  private static boolean isBusy(CompletionStage<?> stage) {
    CompletableFuture<?> f = stage.toCompletableFuture();
    return f.isCompletedExceptionally() && failureCode(f) == GimErrorCode.BUSY.code();
  }

  static <T> T get(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  static int failureCode(CompletionStage<?> stage) {
    return failure(stage).code();
  }

  /** The GimException a stage failed with, failing the test if it succeeds. */
  static GimException failure(CompletionStage<?> stage) {
    try {
      stage.toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return GimException.from(e.getCause());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("the stage should have failed");
  }
}
