package io.gim.store.jdbc;

import io.gim.spi.store.MessageStore;

/** Concurrent overlapping fan-outs on PostgreSQL, with a batch size small enough to span chunks. */
class PostgresFanOutConcurrencyIT extends FanOutConcurrencyChecks {
  @Override
  protected MessageStore store() {
    return TestDatabases.postgresSmall().messages();
  }
}
