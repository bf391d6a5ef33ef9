package io.gim.core.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.gim.spi.store.AppendRequest;
import io.gim.spi.store.NewMessage;
import java.util.List;
import org.junit.jupiter.api.Test;

class InMemoryStoresTest {
  @Test
  void hasOneInstanceOfEachStoreAndClosesIdempotently() throws Exception {
    InMemoryStores stores = InMemoryStores.create();

    assertThat(stores.messages()).isSameAs(stores.messages());
    assertThat(stores.groups()).isSameAs(stores.groups());
    assertThat(stores.devices()).isSameAs(stores.devices());
    stores.close();
    stores.close();
  }

  @Test
  void separateBundlesShareNothing() {
    InMemoryStores a = InMemoryStores.create();
    InMemoryStores b = InMemoryStores.create();
    NewMessage m = new NewMessage(1, 1, 1, new byte[] {1}, 0);
    a.messages().append(AppendRequest.of(m, List.of(5L)));

    assertThat(b.messages().sync(5, 0, 10).toCompletableFuture().join().messages()).isEmpty();
  }
}
