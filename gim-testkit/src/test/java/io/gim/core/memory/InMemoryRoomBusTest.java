package io.gim.core.memory;

import io.gim.spi.cluster.RoomBus;
import io.gim.testkit.contract.RoomBusContract;

class InMemoryRoomBusTest extends RoomBusContract {
  @Override
  protected RoomBus createBus() {
    return new InMemoryRoomBus();
  }
}
