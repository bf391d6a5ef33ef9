package io.gim.examples.quickstart;

import java.io.InputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Entry point of {@code gim-quickstart.jar}: dispatches to the {@code server}, {@code token} and
 * {@code chat} sub-commands. A mistake on the command line prints the usage text and exits with
 * status 2.
 *
 * <pre>
 * java -jar gim-quickstart.jar server
 * java -jar gim-quickstart.jar token 1 1 --ttl 7d
 * java -jar gim-quickstart.jar chat --user 1 --device 1 --to 2
 * </pre>
 */
public final class Main {
  static final String USAGE =
      """
      usage: java -jar gim-quickstart.jar <command> [options]

        server [--tcp-port 8001] [--ws-port 8002] [--host 127.0.0.1] [--secret S]
               [--data ./data | --in-memory | --redis URI
                | --jdbc URL [--jdbc-user U] [--jdbc-password P]
                  [--redis URI [--link-port P [--advertised-host H]]]]
               [--node-ttl 30s] [--auth-grpc host:port] [--metrics-port P] [--web-port P]
            an embedded GIM server keeping messages in an H2 file database under --data (or only
            in memory, or everything in Redis: --redis redis://127.0.0.1:6379 or
            redis-cluster://host:port,...; or MariaDB/PostgreSQL with --jdbc, and with --redis and
            --link-port one node of a cluster: see examples/cluster); Ctrl-C stops it (port 0: any
            free port); --advertised-host names the address other nodes reach the link at
            (resolved at start; default: the --host address, 127.0.0.1 for 0.0.0.0);
            --jdbc-password defaults to the GIM_JDBC_PASSWORD environment variable (off the
            command line); --host 0.0.0.0 (every interface) or any other non-loopback address needs a
            real secret or --auth-grpc (tokens checked by a remote business.UserIntService.Auth,
            e.g. examples/business's internal port, instead of the secret); --metrics-port serves
            GET /metrics (Prometheus) and GET /health on the same host; --web-port serves the
            browser chat (with the development secret it mints its own tokens at /dev-token)
        token <userId> <deviceId> [--ttl 7d] [--secret S]
            prints a sign-in token for that user and device (--ttl like 45s, 30m, 12h, 7d)
        chat --user U --device D [--token T] [--to U | --group G | --room R]
             [--ws] [--server host:port[,host:port...]] [--secret S]
            a chat client on stdin/stdout: every line is sent to the current target;
            /to <user>, /group <id>, /room <id> (subscribes), /quit; without --token it
            mints one with the secret; a device is the pair (user, device id): signing in
            again as the same user and device takes over that session; several --server
            addresses (nodes of a cluster) make the chat fail over between them

      The secret is --secret, else the GIM_SECRET environment variable (at least 16 bytes,
      e.g. openssl rand -base64 32), else a built-in development secret: local use only, so the
      server then listens on loopback only.
      """;

  private Main() {}

  /** Runs one sub-command and exits with its status. */
  public static void main(String[] args) {
    System.exit(run(List.of(args), System.in, System.out, System.err));
  }

  /** Runs one sub-command; returns the exit status (0 ok, 1 failure, 2 usage mistake). */
  static int run(List<String> args, InputStream in, PrintStream out, PrintStream err) {
    if (args.isEmpty() || Set.of("help", "-h", "--help").contains(args.get(0))) {
      (args.isEmpty() ? err : out).print(USAGE);
      return args.isEmpty() ? 2 : 0;
    }
    List<String> rest = args.subList(1, args.size());
    try {
      return switch (args.get(0)) {
        case "server" -> QuickstartServer.run(rest, out, err);
        case "token" -> token(rest, out, err);
        case "chat" -> ChatClient.run(rest, in, out, err);
        default -> throw new UsageException("unknown command " + args.get(0));
      };
    } catch (UsageException e) {
      err.println("gim-quickstart: " + e.getMessage());
      if (e.showUsage()) {
        err.println();
        err.print(USAGE);
      }
      err.flush();
      return 2;
    }
  }

  private static int token(List<String> args, PrintStream out, PrintStream err) {
    Options options = Options.parse(args, Set.of("ttl", "secret"), Set.of());
    List<String> ids = options.positional();
    if (ids.size() != 2) {
      throw new UsageException(
          "token: expected <userId> <deviceId>, got " + Arrays.toString(ids.toArray()));
    }
    long userId = Options.id("userId", ids.get(0));
    long deviceId = Options.id("deviceId", ids.get(1));
    Duration ttl = options.duration("ttl", Duration.ofDays(7));
    HmacTokens tokens =
        new HmacTokens(Secrets.resolve(options, System.getenv(), err), Clock.systemUTC());
    out.println(tokens.mint(userId, deviceId, ttl));
    out.flush();
    return 0;
  }
}
