package io.gim.store.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.gim.spi.store.AppendRequest;
import io.gim.spi.store.AppendResult;
import io.gim.spi.store.DedupeKey;
import io.gim.spi.store.NewMessage;
import io.gim.spi.store.StoredMessage;
import io.gim.store.redis.TestRedis;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A keyed send to receivers in many cluster slots whose fan-out failed half-way (some receivers
 * have it, the claim says "failed"): the client's retry with the same key finishes that message,
 * and every receiver has it exactly once, those served before keeping their seq.
 */
class RedisClusterFanOutRetryTest {
  private String prefix;
  private RedisTarget target;
  private RedisMessageStore store;
  private long sender;
  private List<Long> receivers;

  @BeforeEach
  void open() {
    prefix = TestRedis.prefix();
    target = RedisTarget.connect(TestRedis.clusterClient(), false, Duration.ofSeconds(5));
    store = new RedisMessageStore(target, new Keys(prefix), RedisMessageStore.Retention.FOREVER);
    sender = ThreadLocalRandom.current().nextLong(1, 1L << 40) * 1_000_000L;
    receivers = LongStream.range(0, 40).map(i -> sender + i).boxed().toList();
  }

  @AfterEach
  void close() {
    target.close();
    TestRedis.deleteKeys(true, prefix);
  }

  @Test
  void aRetryFinishesAFanOutThatFailedHalfWayWithoutAppendingTwice() throws Exception {
    AppendRequest send =
        new AppendRequest(
            new NewMessage(sender, 9, 2, new byte[] {42}, 1_700_000_000_000L),
            receivers,
            new DedupeKey(sender, 9, "group-send-1"),
            Duration.ofHours(1));
    long messageId = 77_000_001L;
    // The first attempt: claimed, then only the first half of the receivers got it.
    byte[] claim = store.dedupeKey(send.dedupe());
    String failed = "p:" + messageId + ":" + send.message().createdAtMillis() + ":0";
    target.call(c -> c.set(claim, Keys.bytes(failed))).get(5, TimeUnit.SECONDS);
    AppendRequest firstHalf =
        new AppendRequest(
            send.message(), receivers.subList(0, 20), send.dedupe(), send.dedupeWindow());
    Map<Long, Long> servedBefore =
        store
            .fanOut(firstHalf, messageId, send.message().createdAtMillis(), true)
            .get(5, TimeUnit.SECONDS);
    assertThat(target.cluster()).isTrue();

    AppendResult retry = store.append(send).toCompletableFuture().get(10, TimeUnit.SECONDS);
    AppendResult again = store.append(send).toCompletableFuture().get(10, TimeUnit.SECONDS);

    assertThat(retry.duplicate()).isFalse();
    assertThat(retry.messageId()).isEqualTo(messageId);
    assertThat(retry.seqs()).containsAllEntriesOf(servedBefore).containsOnlyKeys(receivers);
    assertThat(again.duplicate()).isTrue();
    assertThat(again.messageId()).isEqualTo(messageId);
    for (long user : receivers) {
      List<StoredMessage> inbox = store.sync(user, 0, 10).toCompletableFuture().get().messages();
      assertThat(inbox).hasSize(1);
      assertThat(inbox.get(0).messageId()).isEqualTo(messageId);
      assertThat(inbox.get(0).seq()).isEqualTo(retry.seqOf(user));
    }
  }
}
