package io.gim.examples.quickstart;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The browser chat's HTTP port: the page and {@code gim-client.js} from the jar's {@code /web}
 * directory, {@code GET /config.json} (where the WebSocket listens) and, with the development
 * secret only, {@code GET /dev-token?user=U&device=D} minting a sign-in token. With a real secret
 * {@code /dev-token} is a 404: a page anyone can open must not hand out tokens that the server
 * trusts. One thread; the JDK's HTTP server. Close it before the server.
 */
final class WebEndpoint implements AutoCloseable {
  /** How long a development token lasts: a working day of chatting, then a reload. */
  static final Duration DEV_TOKEN_TTL = Duration.ofHours(12);

  private static final String ROOT = "/web/";
  // A file name of the build, nothing more: no slash, no "..", so nothing outside ROOT is served.
  private static final Pattern FILE = Pattern.compile("/([a-z0-9][a-z0-9.-]*\\.(html|js|css|map))");
  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "map", "application/json; charset=utf-8");

  private final HttpServer http;
  private final ExecutorService thread;

  private WebEndpoint(HttpServer http, ExecutorService thread) {
    this.http = http;
    this.thread = thread;
  }

  /**
   * Listens on {@code host:port} (0: any free port); the page connects to the WebSocket on {@code
   * wsPort} at {@code wsPath} of the host it was loaded from. {@code devTokens} is present only
   * with the development secret.
   */
  static WebEndpoint start(
      String host, int port, int wsPort, String wsPath, Optional<HmacTokens> devTokens)
      throws IOException {
    HttpServer http = HttpServer.create(new InetSocketAddress(host, port), 16);
    String config =
        "{\"wsPort\":"
            + wsPort
            + ",\"wsPath\":\""
            + wsPath
            + "\",\"devTokens\":"
            + devTokens.isPresent()
            + "}";
    http.createContext(
        "/", exchange -> handle(exchange, exchange.getRequestURI(), config, devTokens));
    ExecutorService thread =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "gim-web-http");
              t.setDaemon(true);
              return t;
            });
    http.setExecutor(thread);
    http.start();
    return new WebEndpoint(http, thread);
  }

  int port() {
    return http.getAddress().getPort();
  }

  private static void handle(
      HttpExchange exchange, URI uri, String config, Optional<HmacTokens> devTokens)
      throws IOException {
    try (exchange) {
      if (!"GET".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      String path = uri.getRawPath();
      if (path.equals("/config.json")) {
        respond(exchange, 200, "application/json", config.getBytes(StandardCharsets.UTF_8));
      } else if (path.equals("/dev-token")) {
        devToken(exchange, uri.getRawQuery(), devTokens);
      } else {
        Matcher file = FILE.matcher(path.equals("/") ? "/index.html" : path);
        byte[] body = file.matches() ? resource(file.group(1)) : null;
        if (body == null) {
          text(exchange, 404, "not found");
        } else {
          respond(exchange, 200, TYPES.get(file.group(2)), body);
        }
      }
    }
  }

  private static void devToken(HttpExchange exchange, String query, Optional<HmacTokens> tokens)
      throws IOException {
    if (tokens.isEmpty()) {
      text(exchange, 404, "not found: tokens come from the secret's holder, not from this page");
      return;
    }
    Map<String, String> params = query(query);
    long user = positive(params.get("user"));
    long device = positive(params.get("device"));
    if (user <= 0 || device <= 0) {
      text(exchange, 400, "expected: /dev-token?user=U&device=D (positive numbers)");
      return;
    }
    String token = tokens.get().mint(user, device, DEV_TOKEN_TTL);
    respond(
        exchange,
        200,
        "application/json",
        ("{\"token\":\"" + token + "\"}").getBytes(StandardCharsets.UTF_8));
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> params = new HashMap<>();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          params.put(
              URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
              URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
    }
    return params;
  }

  /** The positive number in {@code text}, or -1. */
  private static long positive(String text) {
    try {
      return text == null ? -1 : Math.max(-1, Long.parseLong(text));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = WebEndpoint.class.getResourceAsStream(ROOT + name)) {
      return in == null ? null : in.readAllBytes();
    }
  }

  private static void text(HttpExchange exchange, int status, String body) throws IOException {
    respond(exchange, status, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
  }

  private static void respond(HttpExchange exchange, int status, String type, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    // A rebuilt jar serves new files: the browser asks again rather than keep a stale client.
    exchange.getResponseHeaders().set("Cache-Control", "no-cache");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    http.stop(0);
    thread.shutdownNow();
  }
}
