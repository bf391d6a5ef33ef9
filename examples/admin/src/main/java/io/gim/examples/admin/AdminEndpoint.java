package io.gim.examples.admin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * An example server's admin port: {@code GET /metrics} (Prometheus text format: what {@code scrape}
 * returns, e.g. {@code PrometheusMeterRegistry::scrape}) and {@code GET /health} (200 {@code
 * {"status":"UP"}} while {@code up} says so, 503 {@code DOWN} otherwise), for a scraper and a load
 * balancer or Kubernetes probe. One daemon thread, the JDK's HTTP server; thread-safe. Close it
 * before the server it reports on.
 */
public final class AdminEndpoint implements AutoCloseable {
  private final HttpServer http;
  private final ExecutorService thread;

  private AdminEndpoint(HttpServer http, ExecutorService thread) {
    this.http = http;
    this.thread = thread;
  }

  /** Listens on {@code host:port} (0: any free port). */
  public static AdminEndpoint start(
      String host, int port, Supplier<String> scrape, BooleanSupplier up) throws IOException {
    HttpServer http = HttpServer.create(new InetSocketAddress(host, port), 16);
    http.createContext(
        "/metrics", exchange -> respond(exchange, 200, "text/plain; version=0.0.4", scrape.get()));
    http.createContext(
        "/health",
        exchange -> {
          boolean serving = up.getAsBoolean();
          respond(
              exchange,
              serving ? 200 : 503,
              "application/json",
              serving ? "{\"status\":\"UP\"}" : "{\"status\":\"DOWN\"}");
        });
    ExecutorService thread =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "gim-admin-http");
              t.setDaemon(true);
              return t;
            });
    http.setExecutor(thread);
    http.start();
    return new AdminEndpoint(http, thread);
  }

  /** The bound port; for port 0. */
  public int port() {
    return http.getAddress().getPort();
  }

  private static void respond(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    try (exchange) {
      if (!"GET".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  /** Stops serving and its thread; idempotent. */
  @Override
  public void close() {
    http.stop(0);
    thread.shutdownNow();
  }
}
