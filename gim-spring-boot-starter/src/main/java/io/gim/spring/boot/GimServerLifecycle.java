package io.gim.spring.boot;

import io.gim.core.GimServer;
import io.gim.core.ListenSpec;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import org.springframework.context.ApplicationContextException;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;

/**
 * Ties a {@link GimServer} to the application context: {@link #start()} binds the listeners before
 * the context's refresh completes, so the ports are open when the application is up; closing the
 * context closes the server gracefully (connections, network threads) before the context destroys
 * its beans, the {@code DataSource} and the stores among them.
 *
 * <p>The bound ports are published as the properties {@code local.gim.tcp.port} and {@code
 * local.gim.websocket.port} (for port 0; like Spring Boot's {@code local.server.port}), and by
 * {@link GimServer#activePort}.
 *
 * <p>Thread-safe. {@link #start()} blocks until the listeners are bound; {@link #stop()} blocks
 * until the server has released everything. A stopped server cannot start again.
 */
public final class GimServerLifecycle implements SmartLifecycle {
  /**
   * Late to start and early to stop, as Spring Boot's web servers: clients are let in once every
   * other bean is ready and are let go before anything they use goes away.
   */
  public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 2048;

  private static final String PORTS_SOURCE = "gim.local.ports";

  private final GimServer server;
  private final ConfigurableEnvironment environment;
  private volatile boolean running;

  /** Manages {@code server}; publishes its ports in {@code environment}. */
  public GimServerLifecycle(GimServer server, ConfigurableEnvironment environment) {
    this.server = Objects.requireNonNull(server, "server");
    this.environment = Objects.requireNonNull(environment, "environment");
  }

  /**
   * Starts the server and waits until its listeners are bound.
   *
   * @throws ApplicationContextException if a listener cannot bind (the server has closed itself)
   */
  @Override
  public void start() {
    try {
      server.start().join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new ApplicationContextException("GIM server failed to start: " + cause, cause);
    }
    publishPorts();
    running = true;
  }

  private void publishPorts() {
    Map<String, Object> ports = new LinkedHashMap<>();
    for (ListenSpec listen : server.config().listens()) {
      String key = "local.gim." + listen.kind().name().toLowerCase(Locale.ROOT) + ".port";
      ports.putIfAbsent(key, server.activePort(listen.kind()));
    }
    PropertySource<?> source = new MapPropertySource(PORTS_SOURCE, ports);
    if (environment.getPropertySources().contains(PORTS_SOURCE)) {
      environment.getPropertySources().replace(PORTS_SOURCE, source);
    } else {
      environment.getPropertySources().addFirst(source);
    }
  }

  /** Closes the server; blocks until it has released its sockets, threads and connections. */
  @Override
  public void stop() {
    running = false;
    server.close();
  }

  /** Closes the server without blocking the caller; {@code callback} runs once it is closed. */
  @Override
  public void stop(Runnable callback) {
    running = false;
    server.closeAsync().whenComplete((ignored, failure) -> callback.run());
  }

  /** True from a successful {@link #start()} until {@link #stop()} begins. */
  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return PHASE;
  }

  /** The managed server. */
  public GimServer server() {
    return server;
  }
}
