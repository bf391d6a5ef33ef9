package io.gim.bench;

import io.gim.bench.report.Report;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

/**
 * Entry point of the benchmark jar: {@code java -jar gim-bench.jar <command> [--option value]...}.
 *
 * <ul>
 *   <li>{@code server --port 7000 [--jdbc URL --jdbc-user U]} GIM on in-memory (or JDBC) stores;
 *       {@code relay --port 7100} the Netty relay floor. Both open a control port (port + 1) on
 *       loopback and run until killed.
 *   <li>{@code idle | chat | group | room | sync --target gim|relay|nats|mqtt --port P ...} a load
 *       scenario: progress on stderr, a table on stdout, JSON under {@code --out}.
 *   <li>{@code report --in DIR --docs DIR} tables and PNG charts from result files.
 *   <li>{@code jmh [JMH options]} the microbenchmarks.
 *   <li>{@code hog [--store h2|mariadb]} a victim's send latency alone and beside clients that
 *       pipeline syncs, with and without the engine's store gate.
 *   <li>{@code redis [--target single|cluster|both]} the Redis store's appends and presence lookups
 *       as ratios to plain pipelined Lettuce floors, with Redis's and the cores' CPU busy.
 *   <li>{@code cluster} three linked nodes in this JVM: 1:1 and room delivery within one node and
 *       across nodes, as ratios in one run, and a client's failover when its node is closed.
 * </ul>
 *
 * <p>{@code gim-bench/run.sh} starts servers and load in separate pinned processes.
 */
public final class Bench {
  private Bench() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      System.err.println(
          "usage: java -jar gim-bench.jar"
              + " server|relay|idle|chat|group|room|sync|hog|redis|cluster|grpc|report|jmh"
              + " [--option value]...");
      System.exit(64);
    }
    Options o = new Options(args, args[0].equals("jmh") ? args.length : 1);
    switch (args[0]) {
      case "server", "relay" -> serve(args[0], o);
      case "report" ->
          Report.run(Path.of(o.str("in", "gim-bench/results")), Path.of(o.str("docs", "docs")));
      case "jmh" -> org.openjdk.jmh.Main.main(Arrays.copyOfRange(args, 1, args.length));
      case "hog" ->
          System.exit(
              io.gim.bench.fairness.HogBench.run(
                      o.str("store", "h2"),
                      o.integer("samples", 2000),
                      o.integer("hogs", 1),
                      Arrays.stream(o.str("gates", "16,64,1000000").split(","))
                          .mapToInt(Integer::parseInt)
                          .toArray())
                  ? 0
                  : 2);
      case "redis" -> System.exit(io.gim.bench.redis.RedisBench.run(o) ? 0 : 2);
      case "cluster" -> System.exit(ClusterBench.run(o) ? 0 : 2);
      case "grpc" -> System.exit(GrpcBench.run(o) ? 0 : 2);
      default -> System.exit(scenario(args[0], o).complete() ? 0 : 2);
    }
  }

  /** Runs one scenario, prints its table and writes its JSON. */
  static Result scenario(String name, Options o) {
    Result r = new Scenarios(o).run(name);
    r.print();
    System.out.println("json: " + r.write(Path.of(o.str("out", "gim-bench/results"))));
    return r;
  }

  private static void serve(String kind, Options o) throws InterruptedException {
    String host = o.str("host", "127.0.0.1");
    int port = o.integer("port", kind.equals("server") ? 7000 : 7100);
    int control = o.integer("control-port", port + 1);
    AutoCloseable s =
        kind.equals("server")
            ? new BenchServer(host, port, control, o)
            : new RelayServer(host, port, control);
    String stores = s instanceof BenchServer b ? " stores " + b.storeName() : "";
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    s.close();
                  } catch (Exception e) {
                    // exiting anyway
                  }
                  stopped.countDown();
                }));
    System.out.printf(
        "%s ready on %s:%d control %d pid %d%s%n",
        kind, host, port, control, ProcStat.selfPid(), stores);
    stopped.await();
  }
}
