package io.gim.spring.boot;

import io.gim.core.GimServer;
import io.gim.core.ListenSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * The actuator's {@code gim} health: UP while the server is started, with its node id, signed-in
 * connections, rooms and bound listeners; DOWN before it starts and once it stops.
 *
 * <p>Thread-safe and non-blocking: reads counters the server keeps anyway.
 */
public final class GimHealthIndicator implements HealthIndicator {
  private final GimServerLifecycle lifecycle;

  /** Reports on the server {@code lifecycle} manages. */
  public GimHealthIndicator(GimServerLifecycle lifecycle) {
    this.lifecycle = Objects.requireNonNull(lifecycle, "lifecycle");
  }

  @Override
  public Health health() {
    GimServer server = lifecycle.server();
    if (!lifecycle.isRunning()) {
      return Health.down().withDetail("nodeId", server.config().nodeId()).build();
    }
    return Health.up()
        .withDetail("nodeId", server.config().nodeId())
        .withDetail("connections", server.connectionCount())
        .withDetail("rooms", server.roomCount())
        .withDetail("listeners", listeners(server))
        .build();
  }

  private static List<String> listeners(GimServer server) {
    List<String> listeners = new ArrayList<>();
    for (ListenSpec l : server.config().listens()) {
      listeners.add(
          l.kind().name().toLowerCase(Locale.ROOT)
              + " "
              + l.host()
              + ":"
              + server.activePort(l.kind())
              + l.path());
    }
    return listeners;
  }
}
