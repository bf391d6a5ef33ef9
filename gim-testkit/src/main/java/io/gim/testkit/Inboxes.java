package io.gim.testkit;

import io.gim.spi.store.MessageStore;
import io.gim.spi.store.StoredMessage;
import io.gim.spi.store.SyncPage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Reading whole inboxes in tests. */
public final class Inboxes {
  private Inboxes() {}

  /**
   * Every inbox entry of a user, page after page of {@code pageSize} from seq 0, each page waited
   * for up to 30 seconds.
   */
  public static List<StoredMessage> syncAll(MessageStore store, long userId, int pageSize) {
    List<StoredMessage> all = new ArrayList<>();
    long after = 0;
    SyncPage page;
    do {
      try {
        page = store.sync(userId, after, pageSize).toCompletableFuture().get(30, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        throw new CompletionException(e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      } catch (TimeoutException e) {
        throw new AssertionError("no sync page within 30 s", e);
      }
      all.addAll(page.messages());
      if (!page.messages().isEmpty()) {
        after = page.messages().get(page.messages().size() - 1).seq();
      }
    } while (page.hasMore());
    return all;
  }
}
