package io.gim.bench.redis;

import io.gim.bench.Options;
import io.gim.spi.cluster.PresenceRegistry;
import io.gim.spi.cluster.Route;
import io.gim.spi.store.AppendRequest;
import io.gim.spi.store.DedupeKey;
import io.gim.spi.store.NewMessage;
import io.gim.store.redis.RedisStores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * What the Redis store's operations cost, as ratios to floors measured in the same run against the
 * same Redis: a seq+append per message ({@code INCR} + {@code RPUSH}, pipelined on one Lettuce
 * connection that writes each command at once, as the store's connection does) for the appends,
 * {@code HGETALL} of every user for a presence lookup. For each target, in this order: the floor,
 * the floor with batched writes (how much of the floor is Lettuce's write per command), a 1:1
 * append (two inboxes), a group append, a 1:1 append with a dedupe key, the lookup floor, a
 * presence lookup, and the floor again (the ratios use the mean of the two floors, so a drift of
 * the shared machine shows). Each measurement has its own warm-up, and the CPU busy of this JVM, of
 * every redis-server and of each core beside it.
 *
 * <p>Each store measurement gets stores of its own; one with failed operations is noted in the
 * table and measured once more on new stores, so that a broken store spoils one figure, not the
 * rest. Every key of a run starts with {@code bench:<random>:}; they are deleted after each
 * measurement (inboxes grow by millions of entries) and once more at the end. A cluster this run
 * starts is stopped at the end, even after a failure.
 *
 * <pre>java -jar gim-bench.jar redis [--target single|cluster|both] [--seconds 5] [--warmup 3]
 *     [--group 1000] [--lookup 1000] [--users 10000] [--inflight 256] [--wide-inflight 4]
 *     [--payload 100] [--redis redis://127.0.0.1:6379] [--cluster host:port,...]</pre>
 */
public final class RedisBench {
  private static final Duration DEDUPE_WINDOW = Duration.ofHours(1);
  private static final Duration ROUTE_TTL = Duration.ofMinutes(5);

  /** How many times a store measurement is made on new stores when operations fail. */
  private static final int ATTEMPTS = 6;

  private final Options o;
  private final Duration warmup;
  private final Duration measured;
  private final int users;
  private final int inFlight;
  private final int wideInFlight;
  private final byte[] content;
  private final List<Long> members = new ArrayList<>();
  private final long[] lookupUsers;

  private RedisBench(Options o) {
    this.o = o;
    this.warmup = Duration.ofSeconds(o.integer("warmup", 3));
    this.measured = Duration.ofSeconds(o.integer("seconds", 5));
    this.users = o.integer("users", 10_000);
    if (users < 2) {
      throw new IllegalArgumentException("--users: " + users + " (expected: 2 or more)");
    }
    this.inFlight = positive("inflight", o.integer("inflight", 256));
    this.wideInFlight = positive("wide-inflight", o.integer("wide-inflight", 4));
    this.content = new byte[positive("payload", o.integer("payload", 100))];
    int group = positive("group", o.integer("group", 1_000));
    for (int i = 0; i < group; i++) {
      members.add(1_000_000L + i);
    }
    this.lookupUsers = new long[positive("lookup", o.integer("lookup", 1_000))];
    for (int i = 0; i < lookupUsers.length; i++) {
      lookupUsers[i] = 2_000_000L + i;
    }
  }

  private static int positive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException("--" + name + ": " + value + " (expected: 1 or more)");
    }
    return value;
  }

  /** Runs every target {@code --target} names; true when nothing failed and no key was left. */
  public static boolean run(Options o) throws Exception {
    String target = o.str("target", "single");
    List<String> targets =
        switch (target) {
          case "single", "cluster" -> List.of(target);
          case "both" -> List.of("single", "cluster");
          default ->
              throw new IllegalArgumentException(
                  "--target: " + target + " (expected: single|cluster|both)");
        };
    RedisBench bench = new RedisBench(o);
    boolean ok = true;
    for (String t : targets) {
      try (Deployment d = t.equals("single") ? single(o) : cluster(o)) {
        ok &= bench.measure(d);
      }
    }
    return ok;
  }

  private static Deployment single(Options o) {
    String env = System.getenv("GIM_REDIS_URL");
    return Deployment.single(o.str("redis", env != null ? env : "redis://127.0.0.1:6379"));
  }

  private static Deployment cluster(Options o) throws Exception {
    String env = System.getenv("GIM_REDIS_CLUSTER");
    String seeds = o.str("cluster", env != null && !env.isBlank() ? env : null);
    return Deployment.cluster(seeds);
  }

  /** Every measurement on one deployment; prints the table and the JSON line. */
  private boolean measure(Deployment d) throws Exception {
    String prefix = "bench:" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    prefix += ":";
    List<Long> pids = d.serverPids();
    RedisTable table = new RedisTable(d, pids, prefix, o);
    System.err.printf("%n%s%n", table.header());
    Cpu cpu = new Cpu(pids);
    ClosedLoop narrow = new ClosedLoop(inFlight, warmup, measured, cpu);
    ClosedLoop wide = new ClosedLoop(wideInFlight, warmup, measured, cpu);
    List<Measurement> rows = new ArrayList<>();
    boolean presence = false;
    Floors floors =
        new Floors(d.commands(), d.cluster(), prefix + "f:", users, lookupUsers, content.length);
    try {
      rows.add(narrow.run("floor", "floor: INCR+RPUSH", 1, floors::seqAppend));
      d.deleteKeys(prefix);
      rows.add(floorBatched(d, narrow, floors));
      d.deleteKeys(prefix);
      rows.add(
          withStore(
              d,
              prefix,
              table,
              narrow,
              "oneToOne",
              "1:1 append",
              2,
              (stores, n) -> stores.messages().append(oneToOne(n, false))));
      rows.add(
          withStore(
              d,
              prefix,
              table,
              wide,
              "group",
              String.format(Locale.ROOT, "group append (%,d)", members.size()),
              members.size(),
              (stores, n) ->
                  stores.messages().append(AppendRequest.of(message(members.get(0), 2), members))));
      rows.add(
          withStore(
              d,
              prefix,
              table,
              narrow,
              "dedupe",
              "1:1 append + dedupe",
              2,
              (stores, n) -> stores.messages().append(oneToOne(n, true))));
      floors.writeRoutes().get(60, TimeUnit.SECONDS);
      rows.add(
          wide.run(
              "lookupFloor",
              String.format(Locale.ROOT, "floor: %,d HGETALL", lookupUsers.length),
              lookupUsers.length,
              floors::lookup));
      try (RedisStores stores = d.stores(prefix + "s:")) {
        PresenceRegistry registry = stores.presence();
        presence = registerRoutes(registry);
        if (presence) {
          List<Long> looked = new ArrayList<>();
          for (long u : lookupUsers) {
            looked.add(u);
          }
          rows.add(
              wide.run(
                  "presence",
                  String.format(Locale.ROOT, "presence lookup (%,d)", looked.size()),
                  looked.size(),
                  n -> lookupAll(registry, looked)));
        } else {
          System.err.println("presence: " + RedisTable.NOT_IMPLEMENTED);
        }
      }
      d.deleteKeys(prefix);
      rows.add(narrow.run("floorAgain", "floor again", 1, floors::seqAppend));
    } finally {
      long deleted = d.deleteKeys(prefix);
      table.cleanedUp(deleted, d.deleteKeys(prefix));
    }
    table.print(rows, presence);
    Path json = table.writeJson(rows, presence, Path.of(o.str("out", "gim-bench/results")));
    System.out.println("json: " + json);
    return table.ok(rows);
  }

  /** One operation on the stores. */
  @FunctionalInterface
  private interface StoreOp {
    CompletionStage<?> issue(RedisStores stores, long n);
  }

  /**
   * Measures {@code op} on stores made for it and closed after it, then deletes the run's keys. If
   * any operation failed, the failure is noted and the measurement made again on new stores (up to
   * {@value #ATTEMPTS} times): a broken store must not spoil the measurements after it, and the
   * table says it happened.
   */
  private static Measurement withStore(
      Deployment d,
      String prefix,
      RedisTable table,
      ClosedLoop loop,
      String key,
      String name,
      int itemsPerOp,
      StoreOp op)
      throws Exception {
    for (int attempt = 1; ; attempt++) {
      Measurement m;
      try (RedisStores stores = d.stores(prefix + "s:")) {
        m = loop.run(key, name, itemsPerOp, n -> op.issue(stores, n));
      }
      d.deleteKeys(prefix);
      if (m.errors() == 0 || attempt == ATTEMPTS) {
        return m;
      }
      table.note(
          String.format(
              Locale.ROOT,
              "%s, attempt %d: failed %s; measured again on new stores",
              name,
              attempt,
              m.firstError()));
    }
  }

  /**
   * The floor with Lettuce's writes batched ({@value ClosedLoop#FLUSH_EVERY} messages per flush)
   * instead of one write per command: what the load side costs when it is as cheap as it gets.
   */
  private static Measurement floorBatched(Deployment d, ClosedLoop loop, Floors floors)
      throws InterruptedException {
    d.autoFlush(false);
    try {
      return loop.run(
          "floorBatched",
          "floor, batched writes",
          1,
          new ClosedLoop.Op() {
            @Override
            public CompletionStage<?> issue(long n) {
              return floors.seqAppend(n);
            }

            @Override
            public void flush() {
              d.flush();
            }
          });
    } finally {
      d.autoFlush(true);
    }
  }

  /** A 1:1 send between two random users: both get an inbox entry, as a real 1:1 message does. */
  private AppendRequest oneToOne(long n, boolean dedupe) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long sender = 1 + random.nextInt(users);
    long receiver = 1 + (sender + random.nextInt(users - 1)) % users;
    NewMessage m = message(sender, 1);
    List<Long> both = List.of(sender, receiver);
    if (!dedupe) {
      return AppendRequest.of(m, both);
    }
    return new AppendRequest(m, both, new DedupeKey(sender, 1, "m" + n), DEDUPE_WINDOW);
  }

  private NewMessage message(long sender, int command) {
    return new NewMessage(sender, 1, command, content, System.currentTimeMillis());
  }

  /**
   * One route per lookup user; false when this build's registry is the placeholder that throws
   * {@link UnsupportedOperationException}.
   */
  private boolean registerRoutes(PresenceRegistry registry) throws Exception {
    try {
      CompletableFuture<?>[] all = new CompletableFuture<?>[lookupUsers.length];
      for (int i = 0; i < lookupUsers.length; i++) {
        all[i] =
            registry
                .register(new Route(lookupUsers[i], 1, "node-a", i), ROUTE_TTL)
                .toCompletableFuture();
      }
      CompletableFuture.allOf(all).get(60, TimeUnit.SECONDS);
      return true;
    } catch (UnsupportedOperationException e) {
      return false;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnsupportedOperationException) {
        return false;
      }
      throw e;
    }
  }

  /** A lookup of every registered user; fails unless each has its route. */
  private static CompletionStage<Integer> lookupAll(PresenceRegistry registry, List<Long> users) {
    return registry
        .lookup(users)
        .thenApply(
            (Map<Long, List<Route>> routes) -> {
              if (routes.size() != users.size()) {
                throw new IllegalStateException(
                    "lookup found routes of " + routes.size() + " of " + users.size() + " users");
              }
              return routes.size();
            });
  }
}
