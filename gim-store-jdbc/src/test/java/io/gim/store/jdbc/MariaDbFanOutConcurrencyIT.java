package io.gim.store.jdbc;

import io.gim.spi.store.MessageStore;

/** Concurrent overlapping fan-outs on MariaDB, with a batch size small enough to span chunks. */
class MariaDbFanOutConcurrencyIT extends FanOutConcurrencyChecks {
  @Override
  protected MessageStore store() {
    return TestDatabases.mariadbSmall().messages();
  }
}
