package io.gim.bench;

import io.gim.bench.redis.Cpu;
import io.gim.bench.redis.Deployment;
import io.gim.client.GimClient;
import io.gim.client.MessageListener;
import io.gim.client.ReceivedMessage;
import io.gim.core.GimServer;
import io.gim.core.ListenSpec;
import io.gim.core.memory.InMemoryStores;
import io.gim.spi.AuthResult;
import io.gim.spi.Stores;
import io.gim.spi.cluster.Route;
import io.gim.store.redis.RedisStores;
import io.gim.transport.netty.GrpcNodeLink;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * What crossing nodes costs, as ratios measured in one run: three GIM nodes in this JVM linked by
 * {@link GrpcNodeLink}, with presence and the room bus on Redis and the messages on one in-memory
 * store shared by all nodes (so the store's cost is the same on both sides of each ratio). Measures
 * 1:1 chat with both ends on node A, then with the receivers on node B; a room's broadcast with
 * every subscriber on A, then spread over A, B and C; then (unless {@code --no-recovery}) how long
 * an SDK client on B takes, once B is closed, to be signed in on A and to get a message sent while
 * it was away. The load is the bench's raw protocol clients on their own event loop(s), in the same
 * JVM as the nodes: the CPU of the load threads is read per thread and shown apart.
 *
 * <p>The node links allow 1,024 calls in flight per node ({@code --link-calls}), not the default
 * 64: past the limit a push is dropped, not queued, and a run with drops measures no delivery rate.
 *
 * <p>Every Redis key of a run starts with {@code bench:<random>:} and is deleted at the end.
 *
 * <pre>java -jar gim-bench.jar cluster [--pairs 50] [--window 1] [--subscribers 300]
 *     [--room-window 32] [--payload 100] [--warmup 3] [--seconds 5] [--load-threads 1]
 *     [--link-calls 1024]
 *     [--no-recovery] [--redis redis://127.0.0.1:6379] [--out gim-bench/results]</pre>
 */
public final class ClusterBench {
  private static final String HOST = "127.0.0.1";
  private static final AuthResult ALLOWED = AuthResult.allowed();
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final Options o;
  private final Cpu cpu;
  private final int payload;
  private final List<Node> nodes = new ArrayList<>();
  private final InMemoryStores memory = InMemoryStores.create();
  private final Map<String, String> topThreads = new LinkedHashMap<>();

  /** One node: its server, its link's port and its own Redis connection. */
  private record Node(String name, GimServer server, RedisStores redis) {
    int port() {
      return server.activePort(ListenSpec.Kind.TCP);
    }

    String id() {
      return server.config().nodeId();
    }
  }

  /**
   * The figures of one measurement.
   *
   * @param rate messages per second (1:1) or deliveries per second (room)
   * @param load cores the load threads (event loops and the driving thread) kept busy
   */
  private record Row(
      String key,
      String name,
      double rate,
      long delivered,
      long expected,
      double p50Ms,
      double p99Ms,
      long errors,
      boolean drained,
      Cpu.Busy busy,
      double load) {
    double nodes() {
      return busy.bench() - load;
    }

    boolean complete() {
      return drained && errors == 0 && delivered == expected;
    }

    /** What limits the figure, as far as the busy figures tell. */
    String bound(int loadThreads) {
      String side =
          load >= 0.9 * loadThreads || load >= nodes()
              ? "load-side bound"
              : busy.redisTotal() > nodes() ? "redis" : "nodes";
      return busy.coresFull() ? side + ", cores full" : side;
    }
  }

  /** Milliseconds from B's close to each step of a client's failover; -1 if it did not happen. */
  private record Recovery(double disconnected, double signedIn, double received, String note) {}

  private ClusterBench(Options o, Cpu cpu) {
    this.o = o;
    this.cpu = cpu;
    this.payload = Math.max(8, o.integer("payload", 100));
  }

  /** Runs every measurement; true when every one delivered all it should and no key was left. */
  public static boolean run(Options o) throws Exception {
    String env = System.getenv("GIM_REDIS_URL");
    String uri = o.str("redis", env != null ? env : "redis://127.0.0.1:6379");
    String prefix =
        "bench:" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()) + ":";
    try (Deployment d = Deployment.single(uri)) {
      Map<String, Object> head = new LinkedHashMap<>();
      head.put("bench", "cluster");
      head.put("redis", uri + " (redis " + d.version() + ")");
      head.put("options", o.toString());
      head.put("jvm", jvm());
      head.put("loadAverageStart", loadAverage());
      ClusterBench bench = new ClusterBench(o, new Cpu(d.serverPids()));
      List<Row> rows = new ArrayList<>();
      Recovery recovery = null;
      long deleted;
      long left;
      try {
        for (String name : List.of("A", "B", "C")) {
          bench.nodes.add(bench.node(name, uri, prefix));
        }
        System.err.printf(
            "cluster: nodes %s in this JVM, redis %s, keys %s*%n", bench.nodeIds(), uri, prefix);
        rows.add(bench.chat("local", "1:1, both ends on A", 1, 1));
        rows.add(bench.chat("cross", "1:1, A -> receivers on B", 1_001, 2));
        rows.add(bench.room("room1", "room, all subscribers on A", 1, 2_001));
        rows.add(bench.room("room3", "room, subscribers on A+B+C", 3, 3_001));
        if (!o.flag("no-recovery")) {
          recovery = bench.recovery();
        }
      } finally {
        for (int i = bench.nodes.size() - 1; i >= 0; i--) {
          bench.nodes.get(i).server().close();
        }
        // A closed server's presence unregisters are still on their way: let them reach Redis.
        Thread.sleep(300);
        for (Node n : bench.nodes) {
          n.redis().close();
        }
        deleted = d.deleteKeys(prefix);
        left = d.deleteKeys(prefix);
      }
      head.put("loadAverageEnd", loadAverage());
      head.put("keysDeleted", deleted);
      head.put("keysLeft", left);
      bench.print(rows, recovery, head);
      boolean ok = left == 0;
      for (Row r : rows) {
        ok &= r.complete();
      }
      return ok && (recovery == null || recovery.received() >= 0);
    }
  }

  private String nodeIds() {
    List<String> ids = new ArrayList<>();
    for (Node n : nodes) {
      ids.add(n.name() + "=" + n.id() + " tcp " + n.port());
    }
    return String.join(", ", ids);
  }

  /** A node whose id is its link's address; it shares the run's in-memory message store. */
  private Node node(String name, String uri, String prefix) throws IOException {
    int linkPort;
    try (ServerSocket probe = new ServerSocket(0)) {
      linkPort = probe.getLocalPort();
    }
    RedisStores redis = RedisStores.builder().uri(uri).prefix(prefix).build();
    try {
      GimServer server =
          GimServer.builder()
              .nodeId(HOST + ":" + linkPort)
              .nodeLink(
                  GrpcNodeLink.builder()
                      .listen(HOST, linkPort)
                      .maxCallsInFlightPerNode(o.integer("link-calls", 1024))
                      .build())
              .auth((user, device, token) -> CompletableFuture.completedFuture(ALLOWED))
              // A view of the shared store: one node's close must not close it for the others.
              .stores(Stores.of(memory.messages(), memory.groups(), memory.devices()))
              .presence(redis.presence())
              .roomBus(redis.roomBus())
              .tcp(HOST, 0)
              .build();
      server.start().join();
      return new Node(name, server, redis);
    } catch (RuntimeException e) {
      redis.close();
      throw e;
    }
  }

  private Options phase(String window, int defaultWindow) {
    return new Options(new String[0], 0)
        .set("window", o.integer(window, defaultWindow))
        .set("warmup", o.decimal("warmup", 3))
        .set("seconds", o.decimal("seconds", 5));
  }

  private WireClients clients() {
    return new WireClients(o.integer("load-threads", 1), List.of());
  }

  /** Pairs of users, senders on A and receivers on {@code receiversOn}; closed loop per sender. */
  private Row chat(String key, String name, long firstUser, int receiversOn) {
    int pairs = o.integer("pairs", 50);
    Node receiverNode = nodes.get(receiversOn - 1);
    // GrpcNodeLink refuses calls past its limit per node (BUSY) and the engine drops that live push
    // (the device gets it at its next sync): with the default limit, 64, even 50 pairs at window 1
    // lose pushes here, because a call stays in flight after its push has been delivered.
    Options phase = phase("window", 1);
    Counters counters = new Counters();
    Result r = new Result("cluster-" + key, "gim", phase);
    System.err.printf("%s: %d pairs, window %s%n", name, pairs, phase.str("window", "?"));
    if (pairs * phase.integer("window", 1) > o.integer("link-calls", 1024)) {
      System.err.println("  more sends in flight than the node link's calls: expect drops");
    }
    try (WireClients c = clients()) {
      List<LoadHandler> senders =
          c.gim(HOST, nodes.get(0).port(), firstUser, pairs, 0, LoadHandler.Mode.DECODE, counters);
      List<LoadHandler> receivers =
          c.gim(
              HOST,
              receiverNode.port(),
              firstUser + pairs,
              pairs,
              0,
              LoadHandler.Mode.DECODE,
              counters);
      long signedIn = System.nanoTime();
      List<Long> ids = new ArrayList<>();
      receivers.forEach(h -> ids.add(h.userId));
      int missing = awaitRoutes(nodes.get(0), ids, receiverNode.id());
      System.err.printf(
          "  receivers' routes: %d of %d missing right after their sign-ins were acknowledged,"
              + " all there %.1f ms later%n",
          missing, pairs, (System.nanoTime() - signedIn) / 1e6);
      List<Publisher> publishers = new ArrayList<>();
      for (int i = 0; i < pairs; i++) {
        publishers.add(
            new GimPublisher(senders.get(i), Wire.Kind.USER, receivers.get(i).userId, payload));
      }
      return measure(
          key, name, new Driver(name, publishers, 1, true, counters, phase), r, "messagesPerSec");
    }
  }

  /** One publisher on A; the subscribers spread evenly over the first {@code spread} nodes. */
  private Row room(String key, String name, int spread, long firstUser) {
    int subscribers = o.integer("subscribers", 300);
    long roomId = firstUser;
    Options phase = phase("room-window", 32);
    Counters counters = new Counters();
    Result r = new Result("cluster-" + key, "gim", phase);
    System.err.printf(
        "%s: %d subscribers, window %s%n", name, subscribers, phase.str("window", "?"));
    try (WireClients c = clients()) {
      LoadHandler pub =
          c.gim(HOST, nodes.get(0).port(), firstUser, 1, 0, LoadHandler.Mode.DECODE, counters)
              .get(0);
      long next = firstUser + 1;
      for (int i = 0; i < spread; i++) {
        int count = subscribers / spread + (i < subscribers % spread ? 1 : 0);
        c.gim(HOST, nodes.get(i).port(), next, count, roomId, LoadHandler.Mode.COUNT, counters);
        next += count;
      }
      Publisher p = new GimPublisher(pub, Wire.Kind.ROOM, roomId, payload);
      return measure(
          key,
          name,
          new Driver(name, List.of(p), subscribers, true, counters, phase),
          r,
          "deliveriesPerSec");
    }
  }

  /** Runs the driver, with CPU read over exactly its measured phase. */
  private Row measure(String key, String name, Driver driver, Result r, String rateKey) {
    Cpu.Snapshot[] before = new Cpu.Snapshot[1];
    Cpu.Busy[] busy = new Cpu.Busy[1];
    double[] load = new double[1];
    java.util.concurrent.atomic.AtomicReference<Map<String, Long>> threads =
        new java.util.concurrent.atomic.AtomicReference<>();
    driver
        .onMeasure(
            () -> {
              load[0] = loadCpuSeconds();
              threads.set(threadGroups());
              before[0] = cpu.now();
            },
            () -> {
              Cpu.Snapshot after = cpu.now();
              busy[0] = after.since(before[0]);
              load[0] = (loadCpuSeconds() - load[0]) / busy[0].seconds();
              threads.set(busiest(threads.get(), threadGroups()));
            })
        .run(r, 0);
    Map<String, Object> v = r.values();
    Row row =
        new Row(
            key,
            name,
            number(v, rateKey),
            r.count("delivered"),
            r.count("expected"),
            number(v, "deliveryP50us") / 1_000,
            number(v, "deliveryP99us") / 1_000,
            r.count("errors"),
            "yes".equals(v.get("drained")),
            busy[0],
            load[0]);
    System.err.printf(
        "  %,.0f/s delivered %,d/%,d, JVM %.2f (load %.2f), redis %s, cores %s%n",
        row.rate(),
        row.delivered(),
        row.expected(),
        row.busy().bench(),
        row.load(),
        row.busy().redisText(),
        row.busy().coresText());
    StringBuilder top = new StringBuilder();
    threads
        .get()
        .forEach(
            (group, nanos) ->
                top.append(
                    String.format(
                        Locale.ROOT, " %s %.2f", group, nanos / 1e9 / row.busy().seconds())));
    System.err.println("  busiest threads (cores):" + top);
    topThreads.put(key, top.toString().trim());
    return row;
  }

  /** CPU nanoseconds of this JVM's threads, by name without its numbers (gim-link-io-, ...). */
  private static Map<String, Long> threadGroups() {
    Map<String, Long> groups = new java.util.HashMap<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      long n = THREADS.getThreadCpuTime(t.getId());
      if (n > 0) {
        groups.merge(t.getName().replaceAll("[0-9]+", "#"), n, Long::sum);
      }
    }
    return groups;
  }

  /** The five thread groups that used the most CPU between two readings, busiest first. */
  private static Map<String, Long> busiest(Map<String, Long> before, Map<String, Long> after) {
    Map<String, Long> top = new LinkedHashMap<>();
    after.entrySet().stream()
        .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
        .sorted((x, y) -> Long.compare(y.getValue(), x.getValue()))
        .limit(5)
        .forEach(e -> top.put(e.getKey(), e.getValue()));
    return top;
  }

  private static double number(Map<String, Object> v, String key) {
    Object n = v.get(key);
    return n instanceof Number x ? x.doubleValue() : -1;
  }

  /** CPU seconds of the load's threads: the load event loops and this (driving) thread. */
  private static double loadCpuSeconds() {
    long nanos = THREADS.getCurrentThreadCpuTime();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("bench-load")) {
        long n = THREADS.getThreadCpuTime(t.getId());
        nanos += Math.max(0, n);
      }
    }
    return nanos / 1e9;
  }

  /**
   * An SDK client that knows every node's address, connected to B; a sender on A. B is closed; once
   * the client has noticed, the sender sends it a message; times from the close until the client is
   * signed in again (on A or C) and until that message arrives.
   */
  private Recovery recovery() throws Exception {
    Node a = nodes.get(0);
    Node b = nodes.get(1);
    long user = 9_001;
    System.err.println("recovery: closing node B under a client connected to it");
    InetSocketAddress onB = new InetSocketAddress(HOST, b.port());
    List<InetSocketAddress> all = new ArrayList<>();
    for (Node n : nodes) {
      all.add(new InetSocketAddress(HOST, n.port()));
    }
    Probe probe = new Probe();
    GimClient client = null;
    try (GimClient sender =
        GimClient.builder()
            .tcp(HOST, a.port())
            .credentials(9_000, 1, "bench")
            .listener(m -> {})
            .build()) {
      sender.connect().get(10, TimeUnit.SECONDS);
      // The SDK starts at a random address: retry until it chose B.
      for (int attempt = 0; attempt < 30 && client == null; attempt++) {
        GimClient c =
            GimClient.builder().tcp(all).credentials(user, 1, "bench").listener(probe).build();
        c.connect().get(10, TimeUnit.SECONDS);
        InetSocketAddress s = c.connectedAddress().orElse(null);
        if (s != null && s.getPort() == onB.getPort()) {
          client = c;
        } else {
          c.close();
        }
      }
      if (client == null) {
        return new Recovery(-1, -1, -1, "the SDK never connected to B");
      }
      awaitRoute(a, user, b.id());
      sender.sendToUser(user, text("before"), null).get(10, TimeUnit.SECONDS);
      probe.received("before").get(10, TimeUnit.SECONDS);
      CompletableFuture<Long> gap = probe.received("gap");
      probe.armReconnect();
      long t0 = System.nanoTime();
      b.server().closeAsync();
      long down = waitNanos(probe.disconnected, 20);
      String note = "";
      if (down < 0) {
        note = "no disconnect seen in 20 s";
      }
      sender.sendToUser(user, text("gap"), null).get(20, TimeUnit.SECONDS);
      long got = waitNanos(gap, 30);
      long up = waitNanos(probe.reconnected, 1);
      String where = client.connectedAddress().map(InetSocketAddress::toString).orElse("none");
      note += (note.isEmpty() ? "" : "; ") + "reconnected to " + where;
      return new Recovery(ms(t0, down), ms(t0, up), ms(t0, got), note);
    } finally {
      if (client != null) {
        client.close();
      }
    }
  }

  private static double ms(long t0, long t) {
    return t < 0 ? -1 : (t - t0) / 1e6;
  }

  /** The nanoTime at which {@code f} completed, or -1 if not within {@code seconds}. */
  private static long waitNanos(CompletableFuture<Long> f, int seconds) {
    try {
      return f.get(seconds, TimeUnit.SECONDS);
    } catch (Exception e) {
      return -1;
    }
  }

  private static void awaitRoute(Node via, long user, String nodeId) {
    awaitRoutes(via, List.of(user), nodeId);
  }

  /**
   * Waits until the presence registry, as {@code via} sees it, routes every user to {@code nodeId};
   * returns how many did not have that route at the first look. A message to a user whose route is
   * not there yet is stored but not pushed live, and a raw client never syncs it.
   */
  private static int awaitRoutes(Node via, List<Long> users, String nodeId) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    int first = -1;
    while (System.nanoTime() < deadline) {
      Map<Long, List<Route>> routes =
          via.redis().presence().lookup(users).toCompletableFuture().join();
      int missing = 0;
      for (long u : users) {
        if (routes.getOrDefault(u, List.of()).stream().noneMatch(r -> r.nodeId().equals(nodeId))) {
          missing++;
        }
      }
      if (first < 0) {
        first = missing;
      }
      if (missing == 0) {
        return first;
      }
      LockSupport.parkNanos(1_000_000);
    }
    throw new IllegalStateException("users never all registered on " + nodeId);
  }

  private static byte[] text(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** When the client lost its connection, signed in again, and got each text. */
  private static final class Probe implements MessageListener {
    final CompletableFuture<Long> disconnected = new CompletableFuture<>();
    volatile CompletableFuture<Long> reconnected = new CompletableFuture<>();
    private final Map<String, CompletableFuture<Long>> texts =
        new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean armed;

    CompletableFuture<Long> received(String text) {
      return texts.computeIfAbsent(text, t -> new CompletableFuture<>());
    }

    void armReconnect() {
      armed = true;
    }

    @Override
    public void onMessage(ReceivedMessage message) {
      received(new String(message.content(), StandardCharsets.UTF_8)).complete(System.nanoTime());
    }

    @Override
    public void onConnected() {
      if (armed && disconnected.isDone()) {
        reconnected.complete(System.nanoTime());
      }
    }

    @Override
    public void onDisconnected(Throwable cause) {
      if (armed) {
        disconnected.complete(System.nanoTime());
      }
    }
  }

  private void print(List<Row> rows, Recovery recovery, Map<String, Object> head)
      throws IOException {
    int loadThreads = o.integer("load-threads", 1);
    System.out.println();
    System.out.printf(
        "cluster: 3 nodes + load in ONE JVM (%s), presence/room bus on %s, messages in memory%n",
        head.get("jvm"), head.get("redis"));
    System.out.printf(
        "load average %s -> %s; CPU in cores over each measured interval%n",
        head.get("loadAverageStart"), head.get("loadAverageEnd"));
    String fmt = "%-28s %12s %8s %8s %8s %13s %5s %5s %5s %5s %9s  %s%n";
    System.out.printf(
        fmt,
        "measurement",
        "rate/s",
        "ratio",
        "p50 ms",
        "p99 ms",
        "delivered",
        "JVM",
        "load",
        "nodes",
        "redis",
        "cores",
        "bound");
    Map<String, Object> json = new LinkedHashMap<>(head);
    for (Row r : rows) {
      double ratio = ratio(r, rows);
      System.out.printf(
          fmt,
          r.name(),
          String.format(Locale.ROOT, "%,.0f", r.rate()),
          ratio < 0 ? "" : String.format(Locale.ROOT, "%.2f", ratio),
          r.p50Ms() < 0 ? "-" : String.format(Locale.ROOT, "%.2f", r.p50Ms()),
          r.p99Ms() < 0 ? "-" : String.format(Locale.ROOT, "%.2f", r.p99Ms()),
          r.delivered() == r.expected()
              ? String.format(Locale.ROOT, "%,d", r.delivered())
              : String.format(Locale.ROOT, "%,d/%,d", r.delivered(), r.expected()),
          String.format(Locale.ROOT, "%.2f", r.busy().bench()),
          String.format(Locale.ROOT, "%.2f", r.load()),
          String.format(Locale.ROOT, "%.2f", r.nodes()),
          r.busy().redisText(),
          r.busy().coresText(),
          r.bound(loadThreads) + (r.complete() ? "" : ", INCOMPLETE"));
      String k = r.key() + ".";
      json.put(k + "rate", r.rate());
      json.put(k + "ratio", ratio);
      json.put(k + "p50Ms", r.p50Ms());
      json.put(k + "p99Ms", r.p99Ms());
      json.put(k + "delivered", r.delivered());
      json.put(k + "expected", r.expected());
      json.put(k + "errors", r.errors());
      json.put(k + "jvmBusy", r.busy().bench());
      json.put(k + "loadBusy", r.load());
      json.put(k + "redisBusy", r.busy().redisTotal());
      json.put(k + "coresBusy", r.busy().coresText());
      json.put(k + "bound", r.bound(loadThreads));
      json.put(k + "busiestThreads", topThreads.getOrDefault(r.key(), ""));
    }
    System.out.println(
        "rate: messages/s for 1:1, deliveries/s for rooms; ratio: cross-node over local;"
            + " load = load threads' share of JVM, nodes = JVM - load");
    if (recovery != null) {
      System.out.printf(
          Locale.ROOT,
          "recovery after closing B: client disconnected %.0f ms, signed in again %.0f ms,"
              + " got the message sent in the gap %.0f ms after the close (%s)%n",
          recovery.disconnected(),
          recovery.signedIn(),
          recovery.received(),
          recovery.note());
      json.put("recovery.disconnectedMs", recovery.disconnected());
      json.put("recovery.signedInMs", recovery.signedIn());
      json.put("recovery.receivedMs", recovery.received());
      json.put("recovery.note", recovery.note());
    }
    System.out.printf(
        "keys deleted %,d, left %,d%n", head.get("keysDeleted"), head.get("keysLeft"));
    System.out.println("json-line: " + Json.line(json));
    Path dir = Path.of(o.str("out", "gim-bench/results"));
    Files.createDirectories(dir);
    Path file = dir.resolve("cluster-" + System.currentTimeMillis() + ".json");
    Files.writeString(file, Json.write(json));
    System.out.println("json: " + file);
  }

  /** room3 over room1, cross over local; -1 for the baselines. */
  private static double ratio(Row r, List<Row> rows) {
    String base =
        switch (r.key()) {
          case "cross" -> "local";
          case "room3" -> "room1";
          default -> null;
        };
    if (base == null) {
      return -1;
    }
    for (Row b : rows) {
      if (b.key().equals(base) && b.rate() > 0) {
        return r.rate() / b.rate();
      }
    }
    return -1;
  }

  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "?";
    }
  }

  private static String jvm() {
    Runtime rt = Runtime.getRuntime();
    return "JDK "
        + Runtime.version()
        + ", heap max "
        + rt.maxMemory() / (1 << 20)
        + " MB, "
        + ManagementFactory.getGarbageCollectorMXBeans().get(0).getName();
  }
}
