package io.gim.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gim.core.GimServer;
import io.gim.core.ListenSpec;
import io.gim.core.ServerConfig;
import io.gim.core.transport.Transport;
import io.gim.core.transport.TransportFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class GimPropertiesTest {

  @Test
  void defaultsAreTheBuildersDefaults() {
    ServerConfig fromProperties = build(bind(Map.of()));
    ServerConfig fromBuilder = configOf(GimServer.builder());

    assertThat(fromProperties)
        .usingRecursiveComparison()
        .ignoringFields("nodeId", "listens")
        .isEqualTo(fromBuilder);
    assertThat(fromProperties.listens())
        .containsExactly(new ListenSpec(ListenSpec.Kind.TCP, "0.0.0.0", 8001, ""));
  }

  @Test
  void everyPropertyReachesTheServerConfig() {
    ServerConfig config =
        build(
            bind(
                Map.ofEntries(
                    Map.entry("gim.node-id", "node-a"),
                    Map.entry("gim.tcp.host", "127.0.0.1"),
                    Map.entry("gim.tcp.port", "9001"),
                    Map.entry("gim.websocket.enabled", "true"),
                    Map.entry("gim.websocket.port", "9002"),
                    Map.entry("gim.websocket.path", "/chat"),
                    Map.entry("gim.limits.max-frame-bytes", "64KB"),
                    Map.entry("gim.limits.read-idle-timeout", "5m"),
                    Map.entry("gim.limits.sign-in-timeout", "7s"),
                    Map.entry("gim.limits.max-sign-in-attempts", "2"),
                    Map.entry("gim.limits.sync-default-limit", "20"),
                    Map.entry("gim.limits.sync-max-limit", "200"),
                    Map.entry("gim.limits.dedupe-window", "1h"),
                    Map.entry("gim.limits.write-buffer-low-water-mark", "64KB"),
                    Map.entry("gim.limits.write-buffer-high-water-mark", "128KB"),
                    Map.entry("gim.limits.max-pending-outbound-bytes", "1MB"),
                    Map.entry("gim.limits.unwritable-timeout", "3s"),
                    Map.entry("gim.limits.max-requests-in-flight", "16"),
                    Map.entry("gim.limits.max-store-requests-in-flight", "8"),
                    Map.entry("gim.limits.max-store-sends-in-flight", "300"),
                    Map.entry("gim.presence-ttl", "10m"),
                    Map.entry("gim.node-ttl", "15s"),
                    Map.entry("gim.io-threads", "2"))));

    assertThat(config)
        .isEqualTo(
            new ServerConfig(
                "node-a",
                List.of(
                    new ListenSpec(ListenSpec.Kind.TCP, "127.0.0.1", 9001, ""),
                    new ListenSpec(ListenSpec.Kind.WEBSOCKET, "0.0.0.0", 9002, "/chat")),
                64 * 1024,
                Duration.ofMinutes(5),
                Duration.ofSeconds(7),
                2,
                20,
                200,
                Duration.ofHours(1),
                64 * 1024,
                128 * 1024,
                1024 * 1024,
                Duration.ofSeconds(3),
                Duration.ofMinutes(10),
                Duration.ofSeconds(15),
                2,
                16,
                8,
                300));
  }

  @Test
  void aBadValueIsReportedUnderItsPropertyName() {
    assertThatThrownBy(() -> bind(Map.of("gim.limits.read-idle-timeout", "-5s")))
        .isInstanceOf(BindException.class)
        .rootCause()
        .hasMessage("gim.limits.read-idle-timeout: PT-5S (expected: > 0)");
    assertThatThrownBy(() -> bind(Map.of("gim.limits.sync-default-limit", "600")))
        .rootCause()
        .hasMessageStartingWith("gim.limits.sync-default-limit: 600 (expected: <= syncMaxLimit");
    assertThatThrownBy(() -> bind(Map.of("gim.io-threads", "-1")))
        .rootCause()
        .hasMessage("gim.io-threads: -1 (expected: >= 0)");
    assertThatThrownBy(() -> bind(Map.of("gim.websocket.path", "ws")))
        .rootCause()
        .hasMessage("gim.websocket.path: 'ws' (expected: starts with '/', e.g. /ws)");
    assertThatThrownBy(() -> bind(Map.of("gim.websocket.port", "70000")))
        .rootCause()
        .hasMessage("gim.websocket.port: 70000 (expected: 0-65535)");
    assertThatThrownBy(() -> bind(Map.of("gim.limits.max-pending-outbound-bytes", "3GB")))
        .rootCause()
        .hasMessage("gim.limits.max-pending-outbound-bytes: 3221225472B (expected: < 2GB)");
  }

  @Test
  void aRedisStoreNeedsAUri() {
    assertThatThrownBy(() -> bind(Map.of("gim.store.type", "redis")))
        .rootCause()
        .hasMessageStartingWith("gim.store.redis.uri: not set");
    assertThat(
            bind(Map.of("gim.store.type", "redis", "gim.store.redis.uri", "redis://h:1"))
                .store()
                .type())
        .isEqualTo(GimProperties.StoreType.REDIS);
  }

  @Test
  void aSwitchedOffServerIsNotValidated() {
    assertThat(
            bind(Map.of("gim.enabled", "false", "gim.limits.sync-default-limit", "600")).enabled())
        .isFalse();
  }

  private static GimProperties bind(Map<String, String> properties) {
    return new Binder(new MapConfigurationPropertySource(properties))
        .bindOrCreate("gim", GimProperties.class);
  }

  private static ServerConfig build(GimProperties properties) {
    GimServer.Builder builder = GimServer.builder();
    properties.applyTo(builder);
    return configOf(builder);
  }

  // A transport that is never started: building a server must not open anything.
  private static ServerConfig configOf(GimServer.Builder builder) {
    TransportFactory idle =
        (config, handler) ->
            new Transport() {
              @Override
              public CompletableFuture<Void> start() {
                throw new AssertionError("not started in this test");
              }

              @Override
              public int activePort(ListenSpec.Kind kind) {
                throw new AssertionError("not started in this test");
              }

              @Override
              public CompletableFuture<Void> close() {
                return CompletableFuture.completedFuture(null);
              }
            };
    try (GimServer server =
        builder
            .auth((user, device, token) -> CompletableFuture.completedFuture(null))
            .transport(idle)
            .build()) {
      return server.config();
    }
  }
}
