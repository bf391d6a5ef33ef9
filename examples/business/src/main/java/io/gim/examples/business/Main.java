package io.gim.examples.business;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Entry point of {@code gim-business.jar}: the {@code server} sub-command and a command-line client
 * of its gRPC services. A mistake on the command line prints the usage text and exits with status
 * 2; a refused call prints its GIM code and exits with 1.
 *
 * <pre>
 * java -jar gim-business.jar server
 * eval "$(java -jar gim-business.jar signin --phone 13800000001)"
 * java -jar gim-business.jar add-friend --friend 2
 * </pre>
 */
public final class Main {
  static final String USAGE =
      """
      usage: java -jar gim-business.jar <command> [options]

        server [--data ./data | --jdbc URL [--jdbc-user U] [--jdbc-password P]] [--host 127.0.0.1]
               [--tcp 8001] [--ws 8002] [--ext-grpc 8010] [--int-grpc 8011] [--dev-code 0000]
               [--token-ttl 90d] [--metrics-port P]
            the business server: GIM's long connection (TCP, WebSocket /ws) and the gRPC services
            (Ext port: users, friends, groups and logic's MessageExtService; Int port: UserIntService
            and logic's Int services), on an H2 file database under --data or on MariaDB/PostgreSQL;
            --metrics-port serves GET /metrics (Prometheus) and GET /health; --jdbc-password defaults
            to the GIM_JDBC_PASSWORD environment variable; Ctrl-C stops it (port 0: any free port)

      Client commands (gRPC to the Ext port, --server host:port, default 127.0.0.1:8010):
        signin --phone P [--code 0000] [--device-type 0-5] [--brand B] [--model M]
            signs in (creating the user on first use) and prints a shell line exporting
            GIM_USER, GIM_DEVICE and GIM_TOKEN: eval "$(... signin --phone P)"
        user [--id U]                         a profile (default: your own)
        update-user --nickname N [--sex 0|1|2] [--avatar-url A] [--extra E]
        search --key K                        users by exact phone number or nickname prefix
        add-friend --friend U [--remarks R] [--description D]
        agree --from U [--remarks R]          accept U's friend request
        set-friend --friend U [--remarks R] [--extra E]
        friends                               your friends
        send --to U --text T                  a message to a friend (both inboxes)
        group-create --name N [--members U,U]   you and the members; prints the group id
        group-update --group G --name N [--introduction I] [--avatar-url A] [--extra E]
        group-add --group G --members U,U
        group-remove --group G --member U
        group-members --group G
      Every client command but signin takes --user U --device D --token T, or the environment
      variables GIM_USER, GIM_DEVICE, GIM_TOKEN.
      """;

  private Main() {}

  /** Runs one sub-command and exits with its status. */
  public static void main(String[] args) {
    System.exit(run(List.of(args), System.getenv(), System.out, System.err));
  }

  /** Runs one sub-command; returns the exit status (0 ok, 1 failure, 2 usage mistake). */
  static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
    if (args.isEmpty() || Set.of("help", "-h", "--help").contains(args.get(0))) {
      (args.isEmpty() ? err : out).print(USAGE);
      return args.isEmpty() ? 2 : 0;
    }
    List<String> rest = args.subList(1, args.size());
    try {
      if (args.get(0).equals("server")) {
        return ServerCommand.run(rest, out, err);
      }
      return ClientCommands.run(args.get(0), rest, env, out, err);
    } catch (UsageException e) {
      err.println("gim-business: " + e.getMessage());
      err.println();
      err.print(USAGE);
      err.flush();
      return 2;
    }
  }
}
