package io.gim.core.memory;

import io.gim.spi.cluster.PresenceRegistry;
import io.gim.testkit.contract.PresenceRegistryContract;

class InMemoryPresenceRegistryTest extends PresenceRegistryContract {
  @Override
  protected PresenceRegistry createRegistry() {
    return new InMemoryPresenceRegistry();
  }
}
