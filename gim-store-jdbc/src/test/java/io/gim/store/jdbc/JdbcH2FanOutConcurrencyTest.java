package io.gim.store.jdbc;

import io.gim.spi.store.MessageStore;

/** Concurrent overlapping fan-outs on H2, with a batch size small enough to span chunks. */
class JdbcH2FanOutConcurrencyTest extends FanOutConcurrencyChecks {
  @Override
  protected MessageStore store() {
    return TestDatabases.h2Small().messages();
  }
}
