package io.gim.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.gim.spi.GimErrorCode;
import io.gim.spi.store.AppendRequest;
import io.gim.spi.store.AppendResult;
import io.gim.spi.store.DedupeKey;
import io.gim.spi.store.MessageStore;
import io.gim.spi.store.NewMessage;
import io.gim.spi.store.StoredMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Group commit: appends that queue while the one store thread waits for a connection are taken by
 * the next drain together and share a transaction. They must keep every guarantee of appends made
 * one by one, and a duplicate among them must fail (answer) only itself.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class GroupCommitChecks {
  private HikariDataSource pool;
  private SwitchableDataSource db;
  private JdbcStores stores;
  private MessageStore store;
  private long a;
  private long b;
  private long c;

  protected abstract DatabaseAvailability.Server server();

  @BeforeEach
  void open() {
    DatabaseAvailability.Server s = DatabaseAvailability.require(server());
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(s.url());
    config.setUsername(s.user());
    config.setPassword(s.password());
    config.setMaximumPoolSize(2);
    pool = new HikariDataSource(config);
    db = new SwitchableDataSource(pool);
    stores = JdbcStores.builder().dataSource(db).maxPoolSize(1).build();
    store = stores.messages();
    a = ThreadLocalRandom.current().nextLong(1, 1L << 40) * 1_000;
    b = a + 1;
    c = a + 2;
  }

  @AfterEach
  void close() {
    db.release();
    stores.close();
    pool.close();
  }

  @Test
  void appendsQueuedBehindABusyThreadGetDistinctGaplessSeqsPerUser() throws Exception {
    List<List<Long>> receivers =
        List.of(List.of(a, b), List.of(b, c), List.of(c, a), List.of(a), List.of(a, b, c));
    List<CompletableFuture<AppendResult>> appends = new ArrayList<>();
    db.stall();
    for (int i = 0; i < 30; i++) {
      DedupeKey key = i % 3 == 0 ? new DedupeKey(a, 7, "k-" + a + "-" + i) : null;
      appends.add(append(receivers.get(i % receivers.size()), key));
    }
    db.release();

    List<AppendResult> results = new ArrayList<>();
    for (CompletableFuture<AppendResult> f : appends) {
      results.add(f.get(30, TimeUnit.SECONDS));
    }
    assertThat(results).noneMatch(AppendResult::duplicate);
    assertThat(results).extracting(AppendResult::messageId).doesNotHaveDuplicates();
    for (long user : List.of(a, b, c)) {
      List<StoredMessage> inbox = sync(user);
      long expected =
          receivers.stream().filter(r -> r.contains(user)).count() * 30 / receivers.size();
      assertThat(inbox).extracting(StoredMessage::seq).containsExactlyElementsOf(seqs(expected));
      for (StoredMessage m : inbox) {
        AppendResult r =
            results.stream().filter(x -> x.messageId() == m.messageId()).findFirst().orElseThrow();
        assertThat(r.seqOf(user)).isEqualTo(m.seq());
      }
    }
  }

  @Test
  void aDuplicateInAGroupAnswersWithTheFirstResultAndFailsNoOther() throws Exception {
    DedupeKey key = new DedupeKey(a, 7, "dup-" + a);
    AppendResult first = append(List.of(a, b), key).get(30, TimeUnit.SECONDS);

    db.stall();
    CompletableFuture<AppendResult> before = append(List.of(a, b), null);
    CompletableFuture<AppendResult> duplicate = append(List.of(a, b), key);
    CompletableFuture<AppendResult> fresh = append(List.of(a, c), new DedupeKey(a, 7, "new-" + a));
    CompletableFuture<AppendResult> after = append(List.of(b), null);
    db.release();

    assertThat(duplicate.get(30, TimeUnit.SECONDS).duplicate()).isTrue();
    assertThat(duplicate.get().messageId()).isEqualTo(first.messageId());
    assertThat(List.of(before.get(), fresh.get(), after.get())).noneMatch(AppendResult::duplicate);
    assertThat(sync(a)).extracting(StoredMessage::seq).containsExactly(1L, 2L, 3L);
    assertThat(sync(b)).extracting(StoredMessage::seq).containsExactly(1L, 2L, 3L);
    assertThat(sync(c)).extracting(StoredMessage::seq).containsExactly(1L);
  }

  @Test
  void aKeyHoldingNulFailsWithBadRequestAndFailsNoOtherInItsGroup() throws Exception {
    db.stall();
    CompletableFuture<AppendResult> before = append(List.of(a, b), new DedupeKey(a, 7, "b-" + a));
    CompletableFuture<AppendResult> bad = append(List.of(a, b), new DedupeKey(a, 7, "n\u0000" + a));
    CompletableFuture<AppendResult> after = append(List.of(a), null);
    db.release();

    assertThat(JdbcRecoveryTest.failureCode(bad)).isEqualTo(GimErrorCode.BAD_REQUEST.code());
    assertThat(List.of(before.get(30, TimeUnit.SECONDS), after.get(30, TimeUnit.SECONDS)))
        .noneMatch(AppendResult::duplicate);
    assertThat(sync(a)).extracting(StoredMessage::seq).containsExactly(1L, 2L);
    assertThat(sync(b)).extracting(StoredMessage::seq).containsExactly(1L);
  }

  private CompletableFuture<AppendResult> append(List<Long> users, DedupeKey key) {
    NewMessage m = new NewMessage(a, 7, 2, new byte[] {1}, System.currentTimeMillis());
    AppendRequest request =
        key == null
            ? AppendRequest.of(m, users)
            : new AppendRequest(m, users, key, Duration.ofHours(1));
    return store.append(request).toCompletableFuture();
  }

  private List<StoredMessage> sync(long user) throws Exception {
    return store.sync(user, 0, 1_000).toCompletableFuture().get(30, TimeUnit.SECONDS).messages();
  }

  private static List<Long> seqs(long n) {
    List<Long> seqs = new ArrayList<>();
    for (long s = 1; s <= n; s++) {
      seqs.add(s);
    }
    return seqs;
  }
}
