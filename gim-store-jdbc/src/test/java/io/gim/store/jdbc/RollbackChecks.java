package io.gim.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.gim.spi.store.AppendRequest;
import io.gim.spi.store.AppendResult;
import io.gim.spi.store.DedupeKey;
import io.gim.spi.store.MessageStore;
import io.gim.spi.store.NewMessage;
import io.gim.spi.store.StoredMessage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A transaction that fails must leave nothing behind on its connection. With one store thread every
 * call reuses the connection that thread returned last (Hikari hands it back first), so writes a
 * failed append left uncommitted would be committed by the next transaction (MariaDB's START
 * TRANSACTION commits an open one) and show up as extra seqs. Opening such a store is itself a
 * check: with {@code maxPoolSize(1)} it used to time out in the migration.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class RollbackChecks {
  private JdbcStores stores;
  private MessageStore store;

  /** A store with {@code maxPoolSize(1)}: one store thread; closed after each test. */
  protected abstract JdbcStores openWithOneConnection();

  @BeforeEach
  void open() {
    stores = openWithOneConnection();
    store = stores.messages();
  }

  @AfterEach
  void close() {
    stores.close();
  }

  @Test
  void duplicateSendLeavesNoWritesOnItsConnection() throws Exception {
    long sender = ThreadLocalRandom.current().nextLong(1, 1L << 40) * 1_000;
    long peer = sender + 1;
    // Dedupe rows outlive the test on a shared server: the key must be new on every run.
    DedupeKey key = new DedupeKey(sender, 7, "c-" + sender);

    AppendResult first =
        append(new AppendRequest(message(sender), List.of(sender, peer), key, Duration.ofHours(1)));
    AppendResult again =
        append(new AppendRequest(message(sender), List.of(sender, peer), key, Duration.ofHours(1)));
    AppendResult next = append(AppendRequest.of(message(sender), List.of(sender)));

    assertThat(again.duplicate()).isTrue();
    assertThat(again.messageId()).isEqualTo(first.messageId());
    assertThat(next.seqOf(sender)).isEqualTo(first.seqOf(sender) + 1);
    assertThat(sync(sender)).extracting(StoredMessage::seq).containsExactly(1L, 2L);
    assertThat(sync(peer)).extracting(StoredMessage::seq).containsExactly(1L);
  }

  private AppendResult append(AppendRequest request) throws Exception {
    return store.append(request).toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private List<StoredMessage> sync(long user) throws Exception {
    return store.sync(user, 0, 100).toCompletableFuture().get(30, TimeUnit.SECONDS).messages();
  }

  private static NewMessage message(long sender) {
    return new NewMessage(sender, 7, 2, new byte[] {1, 2, 3}, System.currentTimeMillis());
  }
}
