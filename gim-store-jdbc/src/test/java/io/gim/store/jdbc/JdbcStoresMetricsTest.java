package io.gim.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gim.spi.store.AppendRequest;
import io.gim.spi.store.NewMessage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The store's meters, as an operator scraping the host's registry sees them. */
class JdbcStoresMetricsTest {

  @Test
  void registersThePoolAndTheStoreExecutorInTheHostsRegistry() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    String url = "jdbc:h2:file:" + TestDatabases.tempDir().resolve("gim").toAbsolutePath();
    try (JdbcStores stores =
        JdbcStores.builder().url(url).user("sa").maxPoolSize(3).meterRegistry(registry).build()) {
      stores
          .messages()
          .append(AppendRequest.of(new NewMessage(0, 0, 1, new byte[] {1}, 0), List.of(1L)))
          .toCompletableFuture()
          .join();

      assertThat(registry.get("hikaricp.connections.max").tag("pool", "gim-jdbc").gauge().value())
          .isEqualTo(3);
      // The pool counts a task as completed just after it ran, so possibly after join() returned.
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  registry
                          .get("executor.completed")
                          .tag("name", "gim-jdbc")
                          .functionCounter()
                          .count()
                      >= 1);
      assertThat(registry.get("executor.queued").tag("name", "gim-jdbc").gauge().value()).isZero();
    }
  }
}
