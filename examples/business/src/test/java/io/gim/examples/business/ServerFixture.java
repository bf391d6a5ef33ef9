package io.gim.examples.business;

import io.gim.spi.store.StoredMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * One {@link BusinessServer} per test class on a fresh H2 file, every port 0, on a clock the tests
 * move; tests sign in users with fresh random phone numbers, so they never see each other's data.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ServerFixture {
  final MutableClock clock = new MutableClock();
  BusinessServer server;
  GrpcTestClient grpc;

  @BeforeAll
  void startServer() throws Exception {
    Path dir = Files.createTempDirectory("gim-business-it");
    server =
        BusinessServer.builder()
            .h2(dir.resolve("gim"))
            .ports(0, 0)
            .grpcPorts(0, 0)
            .clock(clock)
            .tokenTtl(Duration.ofDays(90))
            .build();
    server.start().join();
    grpc = new GrpcTestClient(server);
  }

  @AfterAll
  void stopServer() throws Exception {
    if (grpc != null) {
      grpc.close();
    }
    if (server != null) {
      server.close();
    }
  }

  /** The user's inbox, read from the store (a persisted push is stored before its call returns). */
  List<StoredMessage> inbox(long userId) {
    return server.stores().messages().sync(userId, 0, 500).toCompletableFuture().join().messages();
  }

  /** The inbox entries of {@code userId} with {@code command}. */
  List<StoredMessage> inbox(long userId, int command) {
    return inbox(userId).stream().filter(m -> m.command() == command).toList();
  }
}
