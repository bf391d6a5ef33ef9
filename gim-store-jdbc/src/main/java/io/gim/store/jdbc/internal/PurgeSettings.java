package io.gim.store.jdbc.internal;

import java.time.Duration;

/**
 * What the store purges and how: internal, may change at any time.
 *
 * @param inboxRetention how long a message stays in the inboxes, from its creation; {@code null}
 *     keeps messages for ever
 * @param interval the pause between purge rounds once nothing expired is left
 * @param batch the most rows a purge statement touches
 */
public record PurgeSettings(Duration inboxRetention, Duration interval, int batch) {
  /** Rows per purge statement unless set otherwise. */
  public static final int DEFAULT_BATCH = 1_000;
}
