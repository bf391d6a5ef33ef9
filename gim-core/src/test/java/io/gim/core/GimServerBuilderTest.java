package io.gim.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gim.core.memory.InMemoryStores;
import io.gim.spi.AuthProvider;
import io.gim.spi.AuthResult;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class GimServerBuilderTest {
  private static final AuthProvider ALLOW =
      (u, d, t) -> CompletableFuture.completedFuture(AuthResult.allowed());

  @Test
  void refusesToBuildWithoutAnAuthProvider() {
    assertThatThrownBy(() -> GimServer.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("auth: not set (expected: an AuthProvider)");
  }

  @Test
  void namesTheBadSettingAndWhatItExpects() {
    assertThatThrownBy(() -> GimServer.builder().auth(ALLOW).maxFrameBytes(0).build())
        .hasMessage("maxFrameBytes: 0 (expected: >= 4096)");
    // Below the floor a message could hardly hold any content once its headers are counted.
    assertThatThrownBy(() -> GimServer.builder().auth(ALLOW).maxFrameBytes(1000).build())
        .hasMessage("maxFrameBytes: 1000 (expected: >= 4096)");
    assertThatThrownBy(() -> GimServer.builder().auth(ALLOW).maxRequestsInFlight(0).build())
        .hasMessage("maxRequestsInFlight: 0 (expected: > 0)");
    assertThatThrownBy(() -> GimServer.builder().auth(ALLOW).readIdleTimeout(Duration.ZERO).build())
        .hasMessage("readIdleTimeout: PT0S (expected: > 0)");
    assertThatThrownBy(() -> GimServer.builder().auth(ALLOW).syncLimits(600, 500).build())
        .hasMessage("syncDefaultLimit: 600 (expected: <= syncMaxLimit 500)");
    assertThatThrownBy(() -> GimServer.builder().auth(ALLOW).writeBufferWaterMarks(100, 50).build())
        .hasMessage("writeBufferHighWaterMark: 50 (expected: >= low water mark 100)");
    assertThatThrownBy(() -> GimServer.builder().auth(ALLOW).maxPendingOutboundBytes(1024).build())
        .hasMessageStartingWith("maxPendingOutboundBytes: 1024");
    assertThatThrownBy(() -> GimServer.builder().auth(ALLOW).tcp(70000))
        .hasMessage("port: 70000 (expected: 0-65535)");
    assertThatThrownBy(() -> GimServer.builder().auth(ALLOW).websocket(0, "ws"))
        .hasMessage("path: 'ws' (expected: starts with '/')");
  }

  @Test
  void aServerConfigMadeWithoutTheBuilderIsValidatedToo() {
    ServerConfig sane;
    try (GimServer server = GimServer.builder().auth(ALLOW).build()) {
      sane = server.config();
    }
    assertThatThrownBy(
            () ->
                new ServerConfig(
                    sane.nodeId(),
                    sane.listens(),
                    sane.maxFrameBytes(),
                    sane.readIdleTimeout(),
                    sane.signInTimeout(),
                    sane.maxSignInAttempts(),
                    sane.syncDefaultLimit(),
                    sane.syncMaxLimit(),
                    sane.dedupeWindow(),
                    sane.writeBufferLowWaterMark(),
                    sane.writeBufferHighWaterMark(),
                    sane.maxPendingOutboundBytes(),
                    sane.unwritableTimeout(),
                    Duration.ZERO,
                    sane.nodeTtl(),
                    sane.ioThreads(),
                    sane.maxRequestsInFlight(),
                    sane.maxStoreRequestsInFlight(),
                    sane.maxStoreSendsInFlight()))
        .hasMessage("presenceTtl: PT0S (expected: > 0)");
  }

  @Test
  void freezesDefaultsThatMatchTheProtocol() {
    try (GimServer server = GimServer.builder().auth(ALLOW).build()) {
      ServerConfig c = server.config();
      assertThat(c.maxFrameBytes()).isEqualTo(1024 * 1024);
      assertThat(c.readIdleTimeout()).isEqualTo(Duration.ofMinutes(12));
      assertThat(c.signInTimeout()).isEqualTo(Duration.ofSeconds(30));
      assertThat(c.maxSignInAttempts()).isEqualTo(3);
      assertThat(c.syncDefaultLimit()).isEqualTo(50);
      assertThat(c.syncMaxLimit()).isEqualTo(500);
      assertThat(c.dedupeWindow()).isGreaterThanOrEqualTo(Duration.ofHours(24));
      assertThat(c.writeBufferHighWaterMark()).isEqualTo(1024 * 1024);
      assertThat(c.maxPendingOutboundBytes()).isEqualTo(4 * 1024 * 1024);
      assertThat(c.unwritableTimeout()).isEqualTo(Duration.ofSeconds(10));
      assertThat(c.listens()).isEmpty();
      assertThat(c.maxRequestsInFlight()).isEqualTo(256);
      assertThat(c.maxStoreRequestsInFlight()).isEqualTo(64);
      assertThat(c.maxStoreSendsInFlight()).isEqualTo(1024);
    }
  }

  @Test
  void withoutListenersTheHostApiStillWorks() {
    try (GimServer server = GimServer.builder().auth(ALLOW).build()) {
      server.start().join();
      PushResult r =
          server
              .messages()
              .pushToUsers(List.of(1L, 2L), 110, new byte[] {1}, true)
              .toCompletableFuture()
              .join();
      assertThat(r.seqs()).containsEntry(1L, 1L).containsEntry(2L, 1L);
      assertThat(r.messageId()).isPositive();
    }
  }

  @Test
  void hostPushCopiesTheContentItIsGiven() {
    InMemoryStores stores = InMemoryStores.create();
    try (GimServer server = GimServer.builder().auth(ALLOW).stores(stores).build()) {
      server.start().join();
      byte[] content = {1, 2, 3};
      server.messages().pushToUsers(List.of(1L), 110, content, true).toCompletableFuture().join();
      content[0] = 9; // the host reuses its buffer
      byte[] stored =
          stores.messages().sync(1, 0, 10).toCompletableFuture().join().messages().get(0).content();
      assertThat(stored).containsExactly(1, 2, 3);
    }
  }

  @Test
  void startTwiceFailsAndCloseIsIdempotent() {
    GimServer server = GimServer.builder().auth(ALLOW).build();
    server.start().join();
    assertThat(server.start()).isCompletedExceptionally();
    server.close();
    server.close();
    assertThat(server.start()).isCompletedExceptionally();
  }

  @Test
  void listenersNeedATransportOnTheClasspath() {
    assertThatThrownBy(() -> GimServer.builder().auth(ALLOW).tcp(0).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("gim-transport-netty");
  }
}
