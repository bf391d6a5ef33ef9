package io.gim.examples.quickstart;

import io.gim.core.GimServer;
import io.gim.core.ListenSpec;
import io.gim.core.memory.InMemoryStores;
import io.gim.spi.Stores;
import io.gim.spi.store.Group;
import io.gim.spi.store.GroupMember;
import io.gim.store.jdbc.JdbcStores;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.stream.LongStream;

/**
 * The {@code server} sub-command: an embedded {@link GimServer} on an H2 file database under {@code
 * ./data} (or in-memory stores with {@code --in-memory}), signing in with {@link HmacTokens},
 * listening for TCP and WebSocket until the JVM is asked to stop.
 *
 * <p>Prints one stable line for scripts and tests, e.g. {@code GIM quickstart listening:
 * tcp=127.0.0.1:8001 ws=ws://127.0.0.1:8002/ws}, with the bound ports (port 0 picks any).
 */
final class QuickstartServer {
  static final long DEMO_GROUP_ID = 1;
  static final int DEMO_GROUP_USERS = 10;

  private QuickstartServer() {}

  /** Starts the server and blocks until a shutdown hook (Ctrl-C) has closed it. */
  static int run(List<String> args, PrintStream out, PrintStream err) {
    Options options =
        Options.parse(
            args, Set.of("tcp-port", "ws-port", "host", "secret", "data"), Set.of("in-memory"));
    if (options.has("in-memory") && options.has("data")) {
      throw new UsageException("server: --data and --in-memory exclude each other");
    }
    if (!options.positional().isEmpty()) {
      throw new UsageException("server: unexpected argument " + options.positional().get(0));
    }
    int tcpPort = options.port("tcp-port", 8001);
    int wsPort = options.port("ws-port", 8002);
    String host = options.string("host", "0.0.0.0");
    HmacTokens tokens =
        new HmacTokens(Secrets.resolve(options, System.getenv(), err), Clock.systemUTC());

    boolean inMemory = options.has("in-memory");
    Path data = Path.of(options.string("data", "data")).toAbsolutePath().normalize();
    Stores stores = inMemory ? InMemoryStores.create() : JdbcStores.h2(data.resolve("gim"));
    GimServer server =
        GimServer.builder()
            .auth(tokens.authProvider())
            .stores(stores)
            .tcp(host, tcpPort)
            .websocket(host, wsPort, "/ws")
            .build();
    try {
      server.start().join();
    } catch (CompletionException e) {
      // start() has closed the server already; a busy port is a user's problem, not a stack trace.
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      err.println(
          "server: cannot listen on " + host + " ports " + tcpPort + ", " + wsPort + ": " + cause);
      return 1;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "gim-quickstart-shutdown"));
    createDemoGroup(server);

    String connectHost = isWildcard(host) ? "127.0.0.1" : host;
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
    out.println(
        inMemory
            ? "Stores are in memory: everything is gone when the server stops."
            : "Messages, groups and devices are kept in " + data + " (H2): a restart keeps them.");
    out.println(
        "Group " + DEMO_GROUP_ID + " (\"demo\") holds users 1 to " + DEMO_GROUP_USERS + ".");
    out.println("Mint a token (same --secret or GIM_SECRET as the server):");
    out.println("  " + jar + " token <userId> <deviceId> [--ttl 7d]");
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

  private static boolean isWildcard(String host) {
    return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
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
