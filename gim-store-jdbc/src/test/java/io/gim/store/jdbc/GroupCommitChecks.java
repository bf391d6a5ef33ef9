package io.gim.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
    // A purge round would take the one thread at a time a test does not choose.
    stores =
        JdbcStores.builder()
            .dataSource(db)
            .maxPoolSize(1)
            .purgeInterval(Duration.ofHours(1))
            .build();
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

  @Test
  void appendsFarPastTheOldCapsOfSixtyFourAppendsAndSixteenReceiversShareOneTransaction()
      throws Exception {
    List<Long> users = new ArrayList<>();
    for (long u = 0; u < 40; u++) {
      users.add(a + 10 + u);
    }
    db.stall();
    CompletableFuture<AppendResult> first = append(List.of(a), null);
    // Its drain holds the one thread, waiting for a connection, before the rest queue up.
    await().until(() -> db.stalled() == 1);
    List<List<Long>> receivers = new ArrayList<>();
    List<CompletableFuture<AppendResult>> appends = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      // 2 to 21 receivers each, 3,450 inbox rows in all: under the new cap, far over the old one.
      int n = 2 + i % 20;
      List<Long> to = new ArrayList<>();
      for (int k = 0; k < n; k++) {
        to.add(users.get((i + k * 3) % users.size()));
      }
      receivers.add(to);
      DedupeKey key = i % 4 == 0 ? new DedupeKey(a, 7, "wide-" + a + "-" + i) : null;
      appends.add(append(to, key));
    }
    int borrowedBefore = db.borrowed();
    db.release();

    first.get(30, TimeUnit.SECONDS);
    List<AppendResult> results = new ArrayList<>();
    for (CompletableFuture<AppendResult> f : appends) {
      results.add(f.get(30, TimeUnit.SECONDS));
    }
    // The stalled append's connection, then one for all 300 queued behind it.
    assertThat(db.borrowed() - borrowedBefore).isEqualTo(2);
    assertThat(results).noneMatch(AppendResult::duplicate);
    assertThat(results).extracting(AppendResult::messageId).doesNotHaveDuplicates();
    for (long user : users) {
      List<StoredMessage> inbox = sync(user);
      List<Integer> mine = new ArrayList<>();
      for (int i = 0; i < receivers.size(); i++) {
        if (receivers.get(i).contains(user)) {
          mine.add(i);
        }
      }
      // Seqs 1..n in the order the appends were made, each message where its result says.
      assertThat(inbox).extracting(StoredMessage::seq).containsExactlyElementsOf(seqs(mine.size()));
      for (int k = 0; k < mine.size(); k++) {
        AppendResult r = results.get(mine.get(k));
        assertThat(inbox.get(k).messageId()).isEqualTo(r.messageId());
        assertThat(r.seqOf(user)).isEqualTo(k + 1);
      }
    }
  }

  @Test
  void appendsPastTheRowCapOfOneTransactionAllCommitWithGaplessSeqs() throws Exception {
    db.stall();
    CompletableFuture<AppendResult> first = append(List.of(a), null);
    // Its drain holds the one thread, waiting for a connection, before the rest queue up.
    await().until(() -> db.stalled() == 1);
    List<CompletableFuture<AppendResult>> appends = new ArrayList<>();
    List<Long> many = new ArrayList<>();
    for (long u = 0; u < 200; u++) {
      many.add(a + 10 + u);
    }
    many.add(b);
    for (int i = 0; i < 40; i++) {
      // 40 x 201 rows: more than one transaction may take, so the batch must split.
      appends.add(append(many, null));
    }
    db.release();

    first.get(30, TimeUnit.SECONDS);
    List<Long> seqsOfB = new ArrayList<>();
    for (CompletableFuture<AppendResult> f : appends) {
      seqsOfB.add(f.get(30, TimeUnit.SECONDS).seqOf(b));
    }
    assertThat(seqsOfB).containsExactlyElementsOf(seqs(40));
    assertThat(sync(b)).extracting(StoredMessage::seq).containsExactlyElementsOf(seqs(40));
  }

  @Test
  void aKeyTwiceInOneBatchStoresOnceAndAnswersTheSecondWithTheFirstResult() throws Exception {
    DedupeKey key = new DedupeKey(a, 7, "twice-" + a);
    db.stall();
    CompletableFuture<AppendResult> stalled = append(List.of(c), null);
    // Its drain holds the one thread, waiting for a connection, before the rest queue up.
    await().until(() -> db.stalled() == 1);
    List<CompletableFuture<AppendResult>> before = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      before.add(append(List.of(a, b), null));
    }
    CompletableFuture<AppendResult> once = append(List.of(a, b), key);
    CompletableFuture<AppendResult> twice = append(List.of(a, b), key);
    List<CompletableFuture<AppendResult>> after = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      after.add(append(List.of(a, b), null));
    }
    db.release();

    stalled.get(30, TimeUnit.SECONDS);
    assertThat(once.get(30, TimeUnit.SECONDS).duplicate()).isFalse();
    assertThat(twice.get(30, TimeUnit.SECONDS).duplicate()).isTrue();
    assertThat(twice.get().messageId()).isEqualTo(once.get().messageId());
    for (CompletableFuture<AppendResult> f : before) {
      assertThat(f.get(30, TimeUnit.SECONDS).duplicate()).isFalse();
    }
    for (CompletableFuture<AppendResult> f : after) {
      assertThat(f.get(30, TimeUnit.SECONDS).duplicate()).isFalse();
    }
    // 21 messages stored, in the order they were appended, the duplicate not among them.
    List<StoredMessage> inbox = sync(a);
    assertThat(inbox).extracting(StoredMessage::seq).containsExactlyElementsOf(seqs(21));
    assertThat(inbox.get(10).messageId()).isEqualTo(once.get().messageId());
    assertThat(once.get().seqOf(a)).isEqualTo(11);
    assertThat(after.get(0).get().seqOf(a)).isEqualTo(12);
  }

  @Test
  void aBatchThatCannotReachTheDatabaseFailsEveryAppendInItAndStoresNone() throws Exception {
    db.stall();
    List<CompletableFuture<AppendResult>> appends = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      appends.add(append(List.of(a, b), i % 2 == 0 ? new DedupeKey(a, 7, "down-" + i) : null));
    }
    db.down(true);
    db.release();

    for (CompletableFuture<AppendResult> f : appends) {
      assertThat(JdbcRecoveryTest.failureCode(f)).isEqualTo(GimErrorCode.STORE_UNAVAILABLE.code());
    }
    db.down(false);
    assertThat(sync(a)).isEmpty();
    AppendResult next =
        append(List.of(a, b), new DedupeKey(a, 7, "down-0")).get(30, TimeUnit.SECONDS);
    assertThat(next.duplicate()).isFalse();
    assertThat(next.seqOf(a)).isEqualTo(1);
  }

  @Test
  void everyByteValueSenderAndKeyInASharedBatchIsStoredAsSent() throws Exception {
    db.stall();
    CompletableFuture<AppendResult> first = append(List.of(c), null);
    // Its drain holds the one thread, waiting for a connection, before the rest queue up.
    await().until(() -> db.stalled() == 1);
    List<NewMessage> sent = new ArrayList<>();
    List<CompletableFuture<AppendResult>> appends = new ArrayList<>();
    long now = System.currentTimeMillis();
    for (int i = 0; i < 40; i++) {
      // Every byte value, quotes, backslashes and NULs included, in a different rotation each.
      byte[] content = new byte[256 + i];
      for (int k = 0; k < content.length; k++) {
        content[k] = (byte) (k + i * 7);
      }
      NewMessage m = new NewMessage(a + i % 3, 1L << 40 | i, 100 + i, content, now + i);
      sent.add(m);
      // A key a text statement would have to escape: quotes, backslash, comment, non-ASCII.
      DedupeKey key = new DedupeKey(a, 9, "k'" + i + "\\\" -- é;");
      appends.add(
          store
              .append(new AppendRequest(m, List.of(a, b), key, Duration.ofHours(1)))
              .toCompletableFuture());
    }
    db.release();

    first.get(30, TimeUnit.SECONDS);
    List<AppendResult> results = new ArrayList<>();
    for (CompletableFuture<AppendResult> f : appends) {
      results.add(f.get(30, TimeUnit.SECONDS));
    }
    assertThat(results).noneMatch(AppendResult::duplicate);
    for (long user : List.of(a, b)) {
      List<StoredMessage> inbox = sync(user);
      assertThat(inbox).hasSize(sent.size());
      for (int i = 0; i < sent.size(); i++) {
        StoredMessage got = inbox.get(i);
        NewMessage m = sent.get(i);
        assertThat(got.messageId()).isEqualTo(results.get(i).messageId());
        assertThat(got.senderUserId()).isEqualTo(m.senderUserId());
        assertThat(got.senderDeviceId()).isEqualTo(m.senderDeviceId());
        assertThat(got.command()).isEqualTo(m.command());
        assertThat(got.createdAtMillis()).isEqualTo(m.createdAtMillis());
        assertThat(got.content()).isEqualTo(m.content());
      }
    }
    // Each key was stored as sent: sending one again answers with its first result.
    for (int i = 0; i < sent.size(); i += 13) {
      DedupeKey key = new DedupeKey(a, 9, "k'" + i + "\\\" -- é;");
      AppendResult again =
          store
              .append(new AppendRequest(sent.get(i), List.of(a, b), key, Duration.ofHours(1)))
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
      assertThat(again.duplicate()).isTrue();
      assertThat(again.messageId()).isEqualTo(results.get(i).messageId());
    }
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
