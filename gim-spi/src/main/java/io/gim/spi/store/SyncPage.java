package io.gim.spi.store;

import java.util.List;

/**
 * A page of one user's inbox.
 *
 * @param messages ascending by seq
 * @param hasMore true exactly when the inbox holds a seq greater than the page's last
 * @param epoch names the store's seq space; changes only if the store lost its seq state
 */
public record SyncPage(List<StoredMessage> messages, boolean hasMore, long epoch) {
  public SyncPage {
    messages = List.copyOf(messages);
  }
}
