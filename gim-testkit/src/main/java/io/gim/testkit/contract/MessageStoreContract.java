package io.gim.testkit.contract;

import static io.gim.testkit.contract.Stages.await;
import static io.gim.testkit.contract.Stages.failureCode;
import static org.assertj.core.api.Assertions.assertThat;

import io.gim.spi.GimErrorCode;
import io.gim.spi.store.AppendRequest;
import io.gim.spi.store.AppendResult;
import io.gim.spi.store.DedupeKey;
import io.gim.spi.store.MessageStore;
import io.gim.spi.store.NewMessage;
import io.gim.spi.store.StoredMessage;
import io.gim.spi.store.SyncPage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The contract of {@link MessageStore}: seqs, sync pages, prefix visibility under concurrent
 * appends, dedupe (concurrent duplicates included) and acks.
 *
 * <p>Extend it and implement {@link #createStore()}; override {@link #closeStore(MessageStore)} to
 * release the store. The retention tests (purged dedupe keys, inbox retention) need a store of
 * their own and a look at its dedupe keys: implement {@link #createPurgingStore}, {@link
 * #closePurgingStore} and {@link #dedupeEntries}. Each test uses its own random user and device
 * ids.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class MessageStoreContract {
  /** A window longer than any test. */
  protected static final Duration LONG_WINDOW = Duration.ofHours(24);

  /** The store under test, created before each test. */
  protected MessageStore store;

  /** The first of this test's user ids; {@link #user(int)} counts up from it. */
  protected long userBase;

  /** The first of this test's device ids. */
  protected long deviceBase;

  /** A new store, or a shared one: tests never reuse each other's ids. */
  protected abstract MessageStore createStore() throws Exception;

  /** Releases a store made by {@link #createStore()}; does nothing by default. */
  protected void closeStore(MessageStore store) throws Exception {}

  /**
   * A new store for the retention tests, on data of its own (purging must not reach other tests'
   * rows), that runs its purges often (the tests wait up to 10 s for one) and in small batches (a
   * few dozen expired rows should take more than one), keeping inbox entries for {@code
   * inboxRetention} after their {@code createdAtMillis}, or for ever when it is null.
   */
  protected abstract MessageStore createPurgingStore(Duration inboxRetention) throws Exception;

  /** Releases a store made by {@link #createPurgingStore}. */
  protected abstract void closePurgingStore(MessageStore store) throws Exception;

  /**
   * How many send-dedupe keys {@code store} (made by {@link #createPurgingStore}, so all of them
   * this test's) still holds, including expired keys not purged yet.
   */
  protected abstract long dedupeEntries(MessageStore store) throws Exception;

  @BeforeEach
  final void setUpStore() throws Exception {
    userBase = Stages.randomBase();
    deviceBase = Stages.randomBase();
    store = createStore();
  }

  @AfterEach
  final void tearDownStore() throws Exception {
    closeStore(store);
  }

  /** This test's user number {@code i}. */
  protected final long user(int i) {
    return userBase + i;
  }

  /** This test's device number {@code i}. */
  protected final long device(int i) {
    return deviceBase + i;
  }

  /** A user message from user 0's device 0 with the given text. */
  protected final NewMessage message(String text) {
    return new NewMessage(
        user(0), device(0), 1, text.getBytes(StandardCharsets.UTF_8), System.currentTimeMillis());
  }

  /** Appends without dedupe and waits. */
  protected final AppendResult append(NewMessage message, List<Long> userIds) {
    return await(store.append(AppendRequest.of(message, userIds)));
  }

  /** Appends with the dedupe key of {@code device}'s {@code clientMsgId} sent by user 0. */
  protected final AppendResult appendOnce(
      long device, String clientMsgId, Duration window, List<Long> userIds) {
    DedupeKey key = new DedupeKey(user(0), device, clientMsgId);
    return await(store.append(new AppendRequest(message(clientMsgId), userIds, key, window)));
  }

  /** Appends {@code times} messages to {@code userId} alone; returns their seqs. */
  protected final List<Long> appendTimes(long userId, int times) {
    List<Long> seqs = new ArrayList<>();
    for (int i = 0; i < times; i++) {
      seqs.add(append(message("m" + i), List.of(userId)).seqOf(userId));
    }
    return seqs;
  }

  /** Every inbox entry of a user, in pages of 100. */
  protected final List<StoredMessage> syncAll(long userId) {
    List<StoredMessage> all = new ArrayList<>();
    long after = 0;
    SyncPage page;
    do {
      page = await(store.sync(userId, after, 100));
      all.addAll(page.messages());
      if (!page.messages().isEmpty()) {
        after = page.messages().get(page.messages().size() - 1).seq();
      }
    } while (page.hasMore());
    return all;
  }

  /** The seqs of some entries, in their order. */
  protected static List<Long> seqs(List<StoredMessage> messages) {
    return messages.stream().map(StoredMessage::seq).toList();
  }

  @Test
  void seqsStrictlyIncreasePerUserOverManyAppendsToOverlappingUsers() {
    Map<Long, List<Long>> returned = new HashMap<>();
    for (int i = 0; i < 300; i++) {
      // Receiver sets overlap: {0,1}, {1,2}, {2,3}, {3,0}, then each user alone.
      List<Long> users =
          i % 5 == 4 ? List.of(user(i % 4)) : List.of(user(i % 4), user((i + 1) % 4));
      AppendResult result = append(message("m" + i), users);
      users.forEach(u -> returned.computeIfAbsent(u, k -> new ArrayList<>()).add(result.seqOf(u)));
    }
    for (int u = 0; u < 4; u++) {
      List<Long> seqs = returned.get(user(u));
      assertThat(seqs).isSorted().doesNotHaveDuplicates().allMatch(s -> s > 0);
      assertThat(seqs(syncAll(user(u)))).isEqualTo(seqs);
    }
  }

  @Test
  void deliversOneMessageToEveryReceiverWithTheSameIdAndContent() {
    List<Long> users = LongStream.range(0, 20).map(i -> user((int) i)).boxed().toList();
    NewMessage sent = message("to everyone");
    AppendResult result = append(sent, users);

    assertThat(result.duplicate()).isFalse();
    assertThat(result.seqs()).containsOnlyKeys(users);
    for (long u : users) {
      List<StoredMessage> inbox = syncAll(u);
      assertThat(inbox).hasSize(1);
      StoredMessage got = inbox.get(0);
      assertThat(got.messageId()).isEqualTo(result.messageId());
      assertThat(got.seq()).isEqualTo(result.seqOf(u));
      assertThat(got.content()).isEqualTo(sent.content());
    }
  }

  @Test
  void syncReturnsWhatWasAppended() {
    NewMessage sent =
        new NewMessage(user(0), device(3), 120, new byte[] {0, 1, -1, 127}, 1_700_000_000_123L);
    AppendResult result = append(sent, List.of(user(1)));

    StoredMessage got = syncAll(user(1)).get(0);
    assertThat(got.messageId()).isEqualTo(result.messageId());
    assertThat(got.seq()).isEqualTo(result.seqOf(user(1)));
    assertThat(got.senderUserId()).isEqualTo(user(0));
    assertThat(got.senderDeviceId()).isEqualTo(device(3));
    assertThat(got.command()).isEqualTo(120);
    assertThat(got.content()).containsExactly(0, 1, -1, 127);
    assertThat(got.createdAtMillis()).isEqualTo(1_700_000_000_123L);
    assertThat(result.createdAtMillis()).isEqualTo(1_700_000_000_123L);
  }

  @Test
  void givesDistinctMessageIdsToDistinctAppends() {
    long first = append(message("a"), List.of(user(1))).messageId();
    long second = append(message("b"), List.of(user(2))).messageId();
    assertThat(first).isNotEqualTo(second);
  }

  @Test
  void syncPagesAreAscendingAndRespectTheLimit() {
    for (int i = 0; i < 7; i++) {
      append(message("m" + i), List.of(user(1)));
    }
    List<Long> all = seqs(syncAll(user(1)));

    SyncPage first = await(store.sync(user(1), 0, 3));
    SyncPage second = await(store.sync(user(1), last(first), 3));
    SyncPage third = await(store.sync(user(1), last(second), 3));

    assertThat(seqs(first.messages())).isEqualTo(all.subList(0, 3));
    assertThat(first.hasMore()).isTrue();
    assertThat(seqs(second.messages())).isEqualTo(all.subList(3, 6));
    assertThat(second.hasMore()).isTrue();
    assertThat(seqs(third.messages())).isEqualTo(all.subList(6, 7));
    assertThat(third.hasMore()).isFalse();
  }

  @Test
  void fullPageEndingAtTheLastMessageHasNoMore() {
    for (int i = 0; i < 6; i++) {
      append(message("m" + i), List.of(user(1)));
    }
    List<Long> all = seqs(syncAll(user(1)));

    SyncPage whole = await(store.sync(user(1), 0, 6));
    SyncPage tail = await(store.sync(user(1), all.get(2), 3));

    assertThat(seqs(whole.messages())).isEqualTo(all);
    assertThat(whole.hasMore()).isFalse();
    assertThat(seqs(tail.messages())).isEqualTo(all.subList(3, 6));
    assertThat(tail.hasMore()).isFalse();
  }

  @Test
  void syncAfterTheEndIsEmpty() {
    long lastSeq = 0;
    for (int i = 0; i < 3; i++) {
      lastSeq = append(message("m" + i), List.of(user(1))).seqOf(user(1));
    }

    SyncPage atEnd = await(store.sync(user(1), lastSeq, 10));
    SyncPage beyond = await(store.sync(user(1), lastSeq + 1_000, 10));

    assertThat(atEnd.messages()).isEmpty();
    assertThat(atEnd.hasMore()).isFalse();
    assertThat(beyond.messages()).isEmpty();
    assertThat(beyond.hasMore()).isFalse();
  }

  @Test
  void syncOfAUserWithoutMessagesIsEmpty() {
    SyncPage page = await(store.sync(user(9), 0, 10));
    assertThat(page.messages()).isEmpty();
    assertThat(page.hasMore()).isFalse();
  }

  @Test
  void epochIsNonZeroAndStableAcrossCalls() {
    long before = await(store.sync(user(1), 0, 10)).epoch();
    append(message("m"), List.of(user(1)));
    long after = await(store.sync(user(1), 0, 10)).epoch();
    long otherUser = await(store.sync(user(2), 0, 10)).epoch();

    assertThat(before).isNotZero();
    assertThat(after).isEqualTo(before);
    assertThat(otherUser).isEqualTo(before);
  }

  @Test
  void refusesANonPositiveSyncLimit() {
    assertThat(failureCode(store.sync(user(1), 0, 0))).isEqualTo(GimErrorCode.BAD_REQUEST.code());
  }

  @Test
  void syncNeverSkipsASeqWhileOthersAppendConcurrently() throws Exception {
    int writers = 8;
    List<Long> users = LongStream.range(0, 10).map(i -> user((int) i)).boxed().toList();
    long watched = user(0);
    AtomicInteger writing = new AtomicInteger(writers);
    Map<Long, List<AppendResult>> byUser = new ConcurrentHashMap<>();

    // Task 0 syncs the watched user from its last seen seq; the others append 250 times each to
    // 5 random users of 10.
    List<List<StoredMessage>> observed =
        Stages.concurrently(
            writers + 1,
            task -> {
              if (task == 0) {
                return () -> followInbox(watched, writing);
              }
              return () -> {
                try {
                  for (int i = 0; i < 250; i++) {
                    List<Long> some = new ArrayList<>(users);
                    Collections.shuffle(some, ThreadLocalRandom.current());
                    List<Long> receivers = some.subList(0, 5);
                    AppendResult r = append(message("c"), receivers);
                    receivers.forEach(
                        u -> byUser.computeIfAbsent(u, k -> new CopyOnWriteArrayList<>()).add(r));
                  }
                } finally {
                  writing.decrementAndGet();
                }
                return List.of();
              };
            });

    assertThat(entries(observed.get(0))).isEqualTo(entries(syncAll(watched)));
    for (long u : users) {
      List<StoredMessage> inbox = syncAll(u);
      List<AppendResult> appended = byUser.getOrDefault(u, List.of());
      assertThat(seqs(inbox)).isSorted().doesNotHaveDuplicates();
      assertThat(inbox).hasSize(appended.size());
      Map<Long, Long> idBySeq = new HashMap<>();
      inbox.forEach(m -> idBySeq.put(m.seq(), m.messageId()));
      for (AppendResult r : appended) {
        assertThat(idBySeq.get(r.seqOf(u))).isEqualTo(r.messageId());
      }
    }
  }

  /** Syncs in small pages from the last seen seq until the writers stop, then drains once more. */
  private List<StoredMessage> followInbox(long userId, AtomicInteger writing) {
    List<StoredMessage> observed = new ArrayList<>();
    long after = 0;
    boolean lastRound = false;
    while (!lastRound) {
      lastRound = writing.get() == 0;
      SyncPage page;
      do {
        page = await(store.sync(userId, after, 16));
        observed.addAll(page.messages());
        if (!page.messages().isEmpty()) {
          after = last(page);
        }
      } while (page.hasMore());
    }
    return observed;
  }

  @Test
  void concurrentDuplicatesAreStoredExactlyOnce() throws Exception {
    List<AppendResult> results =
        Stages.concurrently(
            8, task -> () -> appendOnce(device(1), "same", LONG_WINDOW, List.of(user(0), user(1))));

    assertThat(results).filteredOn(r -> !r.duplicate()).hasSize(1);
    assertThat(results)
        .extracting(AppendResult::messageId)
        .containsOnly(results.get(0).messageId());
    assertThat(syncAll(user(0))).hasSize(1);
    assertThat(syncAll(user(1))).hasSize(1);
  }

  @Test
  void duplicateSendReturnsTheFirstResultAndStoresNothing() {
    AppendResult first = appendOnce(device(1), "c-1", LONG_WINDOW, List.of(user(0), user(1)));
    AppendResult second = appendOnce(device(1), "c-1", LONG_WINDOW, List.of(user(0), user(1)));

    assertThat(first.duplicate()).isFalse();
    assertThat(second.duplicate()).isTrue();
    assertThat(second.messageId()).isEqualTo(first.messageId());
    assertThat(second.createdAtMillis()).isEqualTo(first.createdAtMillis());
    assertThat(second.seqs()).isEqualTo(Map.of(user(0), first.seqOf(user(0))));
    assertThat(syncAll(user(0))).hasSize(1);
    assertThat(syncAll(user(1))).hasSize(1);
  }

  @Test
  void sameClientMessageIdFromAnotherDeviceIsStoredSeparately() {
    AppendResult first = appendOnce(device(1), "c-1", LONG_WINDOW, List.of(user(1)));
    AppendResult other = appendOnce(device(2), "c-1", LONG_WINDOW, List.of(user(1)));

    assertThat(other.duplicate()).isFalse();
    assertThat(other.messageId()).isNotEqualTo(first.messageId());
    assertThat(syncAll(user(1))).hasSize(2);
  }

  @Test
  void keysDifferingOnlyInTrailingSpacesOrCaseAreDifferentSends() {
    List<String> keys = List.of("x", "x ", "x  ", "X", " x");
    List<AppendResult> results = new ArrayList<>();
    for (String key : keys) {
      results.add(appendOnce(device(1), key, LONG_WINDOW, List.of(user(1))));
    }

    assertThat(results).noneMatch(AppendResult::duplicate);
    assertThat(results).extracting(AppendResult::messageId).doesNotHaveDuplicates();
    assertThat(syncAll(user(1))).hasSize(keys.size());
    assertThat(appendOnce(device(1), "x ", LONG_WINDOW, List.of(user(1))).messageId())
        .isEqualTo(results.get(1).messageId());
  }

  @Test
  void theSameDeviceIdAndKeyOfTwoUsersAreTwoSends() {
    // Device ids are unique only within a user: device 1 of two users is two devices.
    long alice = user(1);
    long bob = user(2);
    AppendResult fromAlice =
        await(
            store.append(
                new AppendRequest(
                    new NewMessage(alice, device(1), 1, new byte[] {1}, 1_000L),
                    List.of(alice, user(3)),
                    new DedupeKey(alice, device(1), "m-1"),
                    LONG_WINDOW)));
    AppendResult fromBob =
        await(
            store.append(
                new AppendRequest(
                    new NewMessage(bob, device(1), 1, new byte[] {2}, 1_000L),
                    List.of(bob, user(3)),
                    new DedupeKey(bob, device(1), "m-1"),
                    LONG_WINDOW)));

    assertThat(fromBob.duplicate()).isFalse();
    assertThat(fromBob.messageId()).isNotEqualTo(fromAlice.messageId());
    assertThat(syncAll(user(3))).hasSize(2);
  }

  @Test
  void aKeyHoldingNulAffectsOnlyItsOwnSend() throws Exception {
    String nul = "a\u0000b";
    // Sent together with plain keyed sends, so that a store batching appends batches them.
    List<Object> outcomes =
        Stages.concurrently(
            12,
            task ->
                () -> {
                  String key = task == 5 ? nul : "k-" + task;
                  DedupeKey dedupe = new DedupeKey(user(0), device(1), key);
                  var stage =
                      store.append(
                          new AppendRequest(message(key), List.of(user(1)), dedupe, LONG_WINDOW));
                  return task == 5 ? Stages.outcome(stage) : (Object) await(stage);
                });

    for (int task = 0; task < outcomes.size(); task++) {
      if (task != 5) {
        assertThat(outcomes.get(task)).isInstanceOf(AppendResult.class);
        assertThat(((AppendResult) outcomes.get(task)).duplicate()).isFalse();
      }
    }
    Object nulOutcome = outcomes.get(5);
    int stored = 11;
    if (nulOutcome instanceof AppendResult first) {
      // A store that accepts it keys on it exactly, like any other key.
      stored++;
      assertThat(appendOnce(device(1), nul, LONG_WINDOW, List.of(user(1))).messageId())
          .isEqualTo(first.messageId());
      assertThat(appendOnce(device(1), "a", LONG_WINDOW, List.of(user(1))).duplicate()).isFalse();
      stored++;
    } else {
      assertThat(nulOutcome).isEqualTo(GimErrorCode.BAD_REQUEST.code());
    }
    assertThat(syncAll(user(1))).hasSize(stored);
  }

  @Test
  void appendsWithoutADedupeKeyAreStoredEachTime() {
    NewMessage same = message("again");
    append(same, List.of(user(1)));
    append(same, List.of(user(1)));
    assertThat(syncAll(user(1))).hasSize(2);
  }

  @Test
  void acceptsTheSameKeyAgainAfterItsWindow() {
    Duration window = Duration.ofMillis(200);
    appendOnce(device(1), "c-1", window, List.of(user(1)));

    Stages.eventually(
        () ->
            assertThat(appendOnce(device(1), "c-1", window, List.of(user(1))).duplicate())
                .isFalse());
    assertThat(syncAll(user(1))).hasSize(2);
  }

  @Test
  void acksNeverMoveBackwards() {
    List<Long> seqs = appendTimes(user(1), 6);
    await(store.ack(user(1), device(1), seqs.get(4)));
    await(store.ack(user(1), device(1), seqs.get(2)));
    await(store.ack(user(1), device(2), seqs.get(3)));
    // Had device 1 gone back, the maximum would now be device 2's.
    assertThat(await(store.maxAck(user(1)))).isEqualTo(seqs.get(4));
  }

  @Test
  void maxAckIsTheLargestOverTheUsersDevices() {
    List<Long> seqs = appendTimes(user(1), 9);
    appendTimes(user(2), 9);
    await(store.ack(user(1), device(1), seqs.get(4)));
    await(store.ack(user(1), device(2), seqs.get(8)));
    await(store.ack(user(2), device(3), seqs.get(8) + 50));
    assertThat(await(store.maxAck(user(1)))).isEqualTo(seqs.get(8));
  }

  @Test
  void ackAboveTheUsersLargestSeqIsClampedToIt() {
    long last = appendTimes(user(1), 3).get(2);
    await(store.ack(user(1), device(1), last + 1_000));
    assertThat(await(store.maxAck(user(1)))).isEqualTo(last);

    // The clamped ack hides nothing that comes later.
    long next = append(message("later"), List.of(user(1))).seqOf(user(1));
    assertThat(seqs(await(store.sync(user(1), await(store.maxAck(user(1))), 10)).messages()))
        .containsExactly(next);
  }

  @Test
  void ackOfAUserWithoutMessagesIsClampedToZero() {
    await(store.ack(user(4), device(1), 10));
    assertThat(await(store.maxAck(user(4)))).isZero();
  }

  @Test
  void concurrentAcksOfOneDeviceKeepTheLargest() throws Exception {
    List<Long> seqs = appendTimes(user(1), 8);
    Stages.concurrently(8, task -> () -> await(store.ack(user(1), device(1), seqs.get(task))));
    assertThat(await(store.maxAck(user(1)))).isEqualTo(seqs.get(7));
  }

  @Test
  void maxAckOfAnUnknownUserIsZero() {
    assertThat(await(store.maxAck(user(7)))).isZero();
  }

  @Test
  void expiredDedupeKeysArePurgedWhileLiveOnesStay() throws Exception {
    MessageStore purging = createPurgingStore(null);
    try {
      for (int i = 0; i < 40; i++) {
        appendWithKey(purging, device(1), "gone-" + i, Duration.ofMillis(1));
      }
      AppendResult live = appendWithKey(purging, device(2), "live", LONG_WINDOW);

      Stages.eventually(() -> assertThat(dedupeEntries(purging)).isEqualTo(1));
      AppendResult again = appendWithKey(purging, device(2), "live", LONG_WINDOW);
      assertThat(again.duplicate()).isTrue();
      assertThat(again.messageId()).isEqualTo(live.messageId());
    } finally {
      closePurgingStore(purging);
    }
  }

  @Test
  void inboxRetentionPurgesOldMessagesWhileSeqsNeverGoBack() throws Exception {
    MessageStore purging = createPurgingStore(Duration.ofHours(1));
    try {
      long old = System.currentTimeMillis() - Duration.ofHours(2).toMillis();
      long lastOld = 0;
      for (int i = 0; i < 30; i++) {
        lastOld = appendAt(purging, old + i, List.of(user(1), user(2))).seqOf(user(1));
      }
      long now = System.currentTimeMillis();
      List<Long> kept = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        kept.add(appendAt(purging, now + i, List.of(user(1))).seqOf(user(1)));
      }
      await(purging.ack(user(1), device(1), lastOld));

      Stages.eventually(
          () -> assertThat(seqs(await(purging.sync(user(1), 0, 100)).messages())).isEqualTo(kept));
      Stages.eventually(
          () -> assertThat(await(purging.sync(user(2), 0, 100)).messages()).isEmpty());
      SyncPage first = await(purging.sync(user(1), 0, 2));
      assertThat(seqs(first.messages())).isEqualTo(kept.subList(0, 2));
      assertThat(first.hasMore()).isTrue();
      assertThat(await(purging.maxAck(user(1)))).isEqualTo(lastOld);
      long next = appendAt(purging, now, List.of(user(1), user(2))).seqOf(user(1));
      assertThat(next).isGreaterThan(kept.get(2));
      assertThat(seqs(await(purging.sync(user(2), 0, 100)).messages())).hasSize(1);
    } finally {
      closePurgingStore(purging);
    }
  }

  @Test
  void withoutInboxRetentionOldMessagesStayThroughPurges() throws Exception {
    MessageStore purging = createPurgingStore(null);
    try {
      long old = System.currentTimeMillis() - Duration.ofDays(3_650).toMillis();
      for (int i = 0; i < 5; i++) {
        appendAt(purging, old, List.of(user(1)));
      }
      appendWithKey(purging, device(1), "gone", Duration.ofMillis(1));
      // Once the expired key is gone, a purge has run.
      Stages.eventually(() -> assertThat(dedupeEntries(purging)).isZero());
      assertThat(await(purging.sync(user(1), 0, 100)).messages()).hasSize(5);
    } finally {
      closePurgingStore(purging);
    }
  }

  private AppendResult appendWithKey(
      MessageStore target, long device, String clientMsgId, Duration window) {
    DedupeKey key = new DedupeKey(user(0), device, clientMsgId);
    return await(
        target.append(new AppendRequest(message(clientMsgId), List.of(user(3)), key, window)));
  }

  private AppendResult appendAt(MessageStore target, long createdAtMillis, List<Long> userIds) {
    NewMessage m = new NewMessage(user(0), device(0), 1, new byte[] {1}, createdAtMillis);
    return await(target.append(AppendRequest.of(m, userIds)));
  }

  /** Entries as "seq:messageId", to compare what two syncs saw. */
  private static List<String> entries(List<StoredMessage> messages) {
    return messages.stream().map(m -> m.seq() + ":" + m.messageId()).toList();
  }

  private static long last(SyncPage page) {
    return page.messages().get(page.messages().size() - 1).seq();
  }
}
