package io.gim.examples.quickstart;

import io.gim.core.GimServer;
import io.gim.core.ListenSpec;
import io.gim.core.memory.InMemoryStores;
import io.gim.examples.admin.AdminEndpoint;
import io.gim.grpc.GrpcAuthProvider;
import io.gim.spi.AuthProvider;
import io.gim.spi.store.Group;
import io.gim.spi.store.GroupMember;
import io.gim.store.jdbc.JdbcStores;
import io.gim.store.redis.RedisStores;
import io.gim.transport.netty.GrpcNodeLink;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.stream.LongStream;
import java.util.stream.Stream;

/**
 * The {@code server} sub-command: an embedded {@link GimServer} on an H2 file database under {@code
 * ./data} (or in-memory stores with {@code --in-memory}, or everything in Redis with {@code --redis
 * URI}: messages, groups, devices, presence and the room bus), signing in with {@link HmacTokens},
 * listening for TCP and WebSocket until the JVM is asked to stop.
 *
 * <p>Listens on 127.0.0.1 unless {@code --host} says otherwise, and refuses any non-loopback
 * address while the development secret is in use (no {@code --secret}, no {@code GIM_SECRET}).
 *
 * <p>Prints one stable line for scripts and tests, e.g. {@code GIM quickstart listening:
 * tcp=127.0.0.1:8001 ws=ws://127.0.0.1:8002/ws}, with the bound ports (port 0 picks any), then one
 * saying where it is bound, e.g. {@code Bound to 127.0.0.1 (loopback: ...).}
 */
final class QuickstartServer {
  static final long DEMO_GROUP_ID = 1;
  static final int DEMO_GROUP_USERS = 10;

  /** The default bind address, with or without a secret: exposing the server takes a --host. */
  static final String LOOPBACK = "127.0.0.1";

  /** The options of {@code server} that take a value (deploy/ checks its commands against them). */
  static final Set<String> OPTIONS =
      Set.of(
          "tcp-port",
          "ws-port",
          "host",
          "secret",
          "data",
          "redis",
          "jdbc",
          "jdbc-user",
          "jdbc-password",
          "link-port",
          "advertised-host",
          "node-ttl",
          "auth-grpc",
          "metrics-port",
          "web-port");

  /** The options of {@code server} that take no value. */
  static final Set<String> FLAGS = Set.of("in-memory");

  private QuickstartServer() {}

  /** Starts the server and blocks until a shutdown hook (Ctrl-C) has closed it. */
  static int run(List<String> args, PrintStream out, PrintStream err) {
    Options options = Options.parse(args, OPTIONS, FLAGS);
    if (Stream.of("in-memory", "data", "jdbc").filter(options::has).count() > 1
        || (options.has("redis") && Stream.of("in-memory", "data").anyMatch(options::has))) {
      throw new UsageException(
          "server: give at most one of --data, --in-memory, --jdbc (--redis goes alone or with"
              + " --jdbc)");
    }
    if (!options.positional().isEmpty()) {
      throw new UsageException("server: unexpected argument " + options.positional().get(0));
    }
    int tcpPort = options.port("tcp-port", 8001);
    int wsPort = options.port("ws-port", 8002);
    // Checked before the warning, the stores and the listeners: a refusal leaves nothing behind.
    Optional<String> secret = Secrets.given(options, System.getenv());
    String authTarget = options.string("auth-grpc", null);
    if (authTarget != null && secret.isPresent()) {
      throw new UsageException(
          "server: --auth-grpc checks tokens at the account service: give no --secret with it");
    }
    // A remote account service is as good as a real secret: nobody can mint tokens here.
    InetAddress bind =
        bindAddress(options.string("host", LOOPBACK), secret.isPresent() || authTarget != null);
    String host = bind.getHostAddress();
    List<AutoCloseable> alsoClose = new ArrayList<>();
    AuthProvider auth;
    // Only tokens of the development secret may be handed out by the browser chat's page.
    Optional<HmacTokens> devTokens = Optional.empty();
    if (authTarget != null) {
      GrpcAuthProvider remote = GrpcAuthProvider.builder().target(authTarget).build();
      alsoClose.add(remote);
      auth = remote;
    } else {
      HmacTokens tokens =
          new HmacTokens(secret.orElseGet(() -> Secrets.development(err)), Clock.systemUTC());
      auth = tokens.authProvider();
      devTokens = secret.isEmpty() ? Optional.of(tokens) : Optional.empty();
    }

    boolean inMemory = options.has("in-memory");
    String redisUri = options.string("redis", null);
    Path data = Path.of(options.string("data", "data")).toAbsolutePath().normalize();
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    int metricsPort = options.has("metrics-port") ? options.port("metrics-port", 0) : -1;
    int webPort = options.has("web-port") ? options.port("web-port", 0) : -1;
    GimServer.Builder builder =
        GimServer.builder()
            .meterRegistry(metrics)
            .auth(auth)
            .tcp(host, tcpPort)
            .websocket(host, wsPort, "/ws");
    String kept;
    String jdbcUrl = options.string("jdbc", null);
    if (jdbcUrl != null) {
      builder.stores(
          connectJdbc(
              jdbcUrl,
              options.string("jdbc-user", ""),
              // From the environment too, so that it is not on the command line (ps shows that).
              options.string(
                  "jdbc-password", System.getenv().getOrDefault("GIM_JDBC_PASSWORD", "")),
              metrics));
      kept = "Messages, groups and devices are kept in " + jdbcUrl + ".";
      if (redisUri != null) {
        RedisStores redis = connectRedis(redisUri, metrics);
        builder.presence(redis.presence()).roomBus(redis.roomBus());
        alsoClose.add(redis); // the server closes its stores, not the presence and bus
        kept += " Presence and rooms are in Redis at " + redisUri + ", shared with other nodes.";
      }
    } else if (redisUri != null) {
      RedisStores redis = connectRedis(redisUri, metrics);
      builder.stores(redis).presence(redis.presence()).roomBus(redis.roomBus());
      kept =
          "Messages, groups, devices, presence and rooms are in Redis at "
              + redisUri
              + " (keys under \""
              + RedisStores.DEFAULT_PREFIX
              + "\"): as durable as its persistence settings.";
    } else if (inMemory) {
      builder.stores(InMemoryStores.create());
      kept = "Stores are in memory: everything is gone when the server stops.";
    } else {
      builder.stores(
          JdbcStores.builder()
              .url("jdbc:h2:file:" + data.resolve("gim"))
              .user("sa")
              .meterRegistry(metrics)
              .build());
      kept = "Messages, groups and devices are kept in " + data + " (H2): a restart keeps them.";
    }
    if (options.has("node-ttl")) {
      builder.nodeTtl(options.duration("node-ttl", Duration.ofSeconds(30)));
    }
    if (options.has("advertised-host") && !options.has("link-port")) {
      throw new UsageException("--advertised-host: needs --link-port (it names the node link)");
    }
    if (options.has("link-port")) {
      int linkPort = options.port("link-port", 0);
      if (linkPort == 0 || redisUri == null) {
        throw new UsageException(
            "--link-port: needs a port other than 0 and --redis (the nodes' shared presence)");
      }
      InetAddress advertised = advertisedAddress(bind, options.string("advertised-host", null));
      GrpcNodeLink link =
          GrpcNodeLink.builder()
              .listen(host, linkPort)
              .advertisedHost(advertised.getHostAddress())
              .meterRegistry(metrics)
              .build();
      // Other nodes reach this one by its node id: the link's address.
      String nodeId = literal(advertised) + ":" + linkPort;
      builder.nodeLink(link).nodeId(nodeId);
      kept += " Node link on " + nodeId + ".";
    }
    GimServer server = builder.build();
    try {
      server.start().join();
    } catch (CompletionException e) {
      // start() has closed the server already; a busy port is a user's problem, not a stack trace.
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      err.println(
          "server: cannot listen on " + host + " ports " + tcpPort + ", " + wsPort + ": " + cause);
      return 1;
    }
    AdminEndpoint admin = null;
    WebEndpoint web = null;
    int httpPort = metricsPort;
    try {
      if (metricsPort >= 0) {
        admin = AdminEndpoint.start(host, metricsPort, metrics::scrape, server::isRunning);
      }
      httpPort = webPort;
      if (webPort >= 0) {
        web =
            WebEndpoint.start(
                host, webPort, server.activePort(ListenSpec.Kind.WEBSOCKET), "/ws", devTokens);
      }
    } catch (IOException e) {
      if (admin != null) {
        admin.close();
      }
      server.close();
      err.println("server: cannot listen on " + host + " port " + httpPort + ": " + e);
      return 1;
    }
    AdminEndpoint adminToClose = admin;
    WebEndpoint webToClose = web;
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  if (webToClose != null) {
                    webToClose.close();
                  }
                  if (adminToClose != null) {
                    adminToClose.close();
                  }
                  server.close();
                  for (AutoCloseable c : alsoClose) {
                    try {
                      c.close();
                    } catch (Exception e) {
                      err.println("server: closing " + c + ": " + e);
                    }
                  }
                },
                "gim-quickstart-shutdown"));
    createDemoGroup(server);

    String connectHost = bind.isAnyLocalAddress() ? LOOPBACK : literal(bind);
    int tcp = server.activePort(ListenSpec.Kind.TCP);
    int ws = server.activePort(ListenSpec.Kind.WEBSOCKET);
    String jar = "java -jar " + jarPath();
    out.println(
        "GIM quickstart listening: tcp="
            + connectHost
            + ":"
            + tcp
            + " ws=ws://"
            + connectHost
            + ":"
            + ws
            + "/ws");
    out.println("Bound to " + host + " (" + reach(bind) + ").");
    if (admin != null) {
      out.println(
          "Metrics: http://"
              + connectHost
              + ":"
              + admin.port()
              + "/metrics (Prometheus), health: http://"
              + connectHost
              + ":"
              + admin.port()
              + "/health");
    }
    if (web != null) {
      out.println(
          "Browser chat: http://"
              + connectHost
              + ":"
              + web.port()
              + "/?user=1&device=1"
              + (devTokens.isPresent()
                  ? " (signs in with development tokens from /dev-token)"
                  : " (paste a token: /dev-token is off with a real secret)"));
    }
    out.println(kept);
    out.println(
        "Group " + DEMO_GROUP_ID + " (\"demo\") holds users 1 to " + DEMO_GROUP_USERS + ".");
    if (authTarget != null) {
      out.println(
          "Sign-ins are checked by business.UserIntService.Auth at "
              + authTarget
              + ": use the tokens it issues.");
    } else {
      out.println("Mint a token (same --secret or GIM_SECRET as the server):");
      out.println("  " + jar + " token <userId> <deviceId> [--ttl 7d]");
    }
    out.println("Chat, in two more terminals:");
    out.println(
        "  " + jar + " chat --user 1 --device 1 --to 2" + serverOption(connectHost, tcp, 8001));
    out.println(
        "  " + jar + " chat --user 2 --device 2 --to 1 --ws" + serverOption(connectHost, ws, 8002));
    out.println("Press Ctrl-C to stop.");
    out.flush();

    server.blockUntilShutdown();
    return 0;
  }

  /** Stores on the database a {@code --jdbc} URL names; no answer is a usage error. */
  private static JdbcStores connectJdbc(
      String url, String user, String password, MeterRegistry metrics) {
    if (!url.startsWith("jdbc:")) {
      throw new UsageException(
          "--jdbc: " + url + " (expected: jdbc:mariadb://host:port/db or jdbc:postgresql://...)");
    }
    try {
      return JdbcStores.builder()
          .url(url)
          .user(user)
          .password(password)
          .meterRegistry(metrics)
          .build();
    } catch (RuntimeException e) {
      throw UsageException.refused("server: cannot use --jdbc " + url + ": " + e.getMessage());
    }
  }

  /** Stores on the Redis a {@code --redis} URI names; a bad URI or no answer is a usage error. */
  private static RedisStores connectRedis(String uri, MeterRegistry metrics) {
    if (!uri.startsWith("redis://")
        && !uri.startsWith("rediss://")
        && !uri.startsWith("redis-cluster://")) {
      throw new UsageException(
          "--redis: "
              + uri
              + " (expected: redis://host:port, rediss://host:port or"
              + " redis-cluster://host:port,host:port)");
    }
    try {
      return RedisStores.builder().uri(uri).meterRegistry(metrics).build();
    } catch (RuntimeException e) {
      throw UsageException.refused("server: " + e.getMessage());
    }
  }

  /** Creates the demo group unless a previous run of a durable store already did. */
  private static void createDemoGroup(GimServer server) {
    if (server.groups().get(DEMO_GROUP_ID).toCompletableFuture().join().isPresent()) {
      return;
    }
    List<GroupMember> members =
        LongStream.rangeClosed(1, DEMO_GROUP_USERS).mapToObj(GroupMember::of).toList();
    server
        .groups()
        .create(Group.named("demo").withId(DEMO_GROUP_ID), members)
        .toCompletableFuture()
        .join();
  }

  /**
   * The address to listen on, resolved once here so that the check and the bind see the same
   * address. Without a real secret only a loopback address is allowed: anyone can mint tokens with
   * the development secret, so whoever can connect can sign in as anyone.
   *
   * @throws UsageException if {@code host} is empty or unknown, or is not a loopback address and
   *     {@code realSecret} is false
   */
  static InetAddress bindAddress(String host, boolean realSecret) {
    if (host.isBlank()) {
      // InetAddress.getByName("") would quietly answer the loopback address.
      throw new UsageException("--host: empty (expected: an address such as 127.0.0.1 or 0.0.0.0)");
    }
    InetAddress address;
    try {
      address = InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new UsageException("--host: " + host + " (unknown host)");
    }
    if (!realSecret && !address.isLoopbackAddress()) {
      throw UsageException.refused(
          "server: --host "
              + host
              + " needs a real secret: set GIM_SECRET or --secret (at least "
              + HmacTokens.MIN_SECRET_BYTES
              + " random bytes); with the built-in development secret the server listens on"
              + " 127.0.0.1 only");
    }
    return address;
  }

  /**
   * The address other nodes call this node's link at, which is also its node id's host: {@code
   * --advertised-host} resolved once, here, to an IP address (a container's own name gives its
   * current address, so a container recreated with another address is a new node rather than a
   * stale one), else the bind address, or 127.0.0.1 when bound to every interface.
   *
   * @throws UsageException if {@code advertisedHost} is empty, unknown or a wildcard address
   */
  static InetAddress advertisedAddress(InetAddress bind, String advertisedHost) {
    if (advertisedHost == null) {
      return bind.isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : bind;
    }
    if (advertisedHost.isBlank()) {
      throw new UsageException("--advertised-host: empty (expected: a host name or address)");
    }
    InetAddress address;
    try {
      address = InetAddress.getByName(advertisedHost);
    } catch (UnknownHostException e) {
      throw new UsageException("--advertised-host: " + advertisedHost + " (unknown host)");
    }
    if (address.isAnyLocalAddress()) {
      throw new UsageException(
          "--advertised-host: "
              + advertisedHost
              + " (expected: an address other nodes can call, not a wildcard)");
    }
    return address;
  }

  /** Who can reach a listener bound to {@code address}, in words. */
  private static String reach(InetAddress address) {
    if (address.isLoopbackAddress()) {
      return "loopback: only this machine can connect";
    }
    return address.isAnyLocalAddress()
        ? "every interface: other machines can connect"
        : "other machines can connect";
  }

  /** The address as typed in {@code host:port}: an IPv6 literal in brackets. */
  private static String literal(InetAddress address) {
    String text = address.getHostAddress();
    return address instanceof Inet6Address ? "[" + text + "]" : text;
  }

  /** The chat's {@code --server} option if the port is not the one it assumes. */
  private static String serverOption(String host, int port, int defaultPort) {
    return host.equals("127.0.0.1") && port == defaultPort ? "" : " --server " + host + ":" + port;
  }

  /** This jar's path as typed from the working directory, for copy-paste instructions. */
  private static String jarPath() {
    try {
      Path jar =
          Path.of(
              QuickstartServer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path relative = Path.of("").toAbsolutePath().relativize(jar);
      if (!jar.toString().endsWith(".jar")) {
        return "gim-quickstart.jar";
      }
      return relative.startsWith("..") ? jar.toString() : relative.toString();
    } catch (Exception e) {
      return "gim-quickstart.jar"; // not worth failing a start over a hint
    }
  }
}
