package io.gim.bench.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.gim.spi.store.AppendRequest;
import io.gim.spi.store.MessageStore;
import io.gim.spi.store.NewMessage;
import io.gim.store.jdbc.JdbcStores;
import java.nio.file.Files;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.HdrHistogram.Histogram;

/**
 * Issue 3's benchmark: storing one message for N recipients (a) GIM's way, one transaction per
 * recipient, versus (b) {@link JdbcStores}, one transaction with multi-row statements; and a
 * sustained 1:1 rate with many concurrent senders. Both run in the same process on the same tables,
 * repeated, and the ratio (b)/(a) is computed per repetition.
 *
 * <pre>
 * java -Dorg.jooq.no-logo=true -cp gim-bench/target/gim-bench.jar io.gim.bench.jdbc.FanOutBench \
 *     --db h2,mariadb --reps 3 --seconds 5 --senders 100
 * </pre>
 */
public final class FanOutBench {
  private static final String DEFAULT_SIZES = "1,100,1000,10000";
  private static final byte[] CONTENT = new byte[100];

  private final String name;
  private final String url;
  private final String user;
  private final String password;
  private final int senders;
  private final int seconds;
  private int[] sizes;

  private FanOutBench(
      String name, String url, String user, String password, int senders, int seconds) {
    this.name = name;
    this.url = url;
    this.user = user;
    this.password = password;
    this.senders = senders;
    this.seconds = seconds;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = options(args);
    int reps = Integer.parseInt(opts.getOrDefault("reps", "3"));
    int seconds = Integer.parseInt(opts.getOrDefault("seconds", "5"));
    int senders = Integer.parseInt(opts.getOrDefault("senders", "100"));
    for (String db : opts.getOrDefault("db", "h2,mariadb").split(",")) {
      FanOutBench bench =
          switch (db) {
            case "h2" ->
                new FanOutBench(
                    "H2 (file)",
                    "jdbc:h2:file:" + Files.createTempDirectory("gim-bench") + "/gim",
                    "sa",
                    "",
                    senders,
                    seconds);
            case "mariadb" ->
                new FanOutBench(
                    "MariaDB",
                    opts.getOrDefault("mariadb-url", "jdbc:mariadb://127.0.0.1:3306/test"),
                    "root",
                    "",
                    senders,
                    seconds);
            case "postgres" ->
                new FanOutBench(
                    "PostgreSQL",
                    opts.getOrDefault("postgres-url", "jdbc:postgresql://127.0.0.1:5432/test"),
                    "postgres",
                    "",
                    senders,
                    seconds);
            default ->
                throw new IllegalArgumentException(
                    "db: " + db + " (expected: h2, mariadb, postgres)");
          };
      // --sizes 1,2 runs only those fan-outs; --senders 0 skips the sustained 1:1 case.
      bench.sizes =
          Arrays.stream(opts.getOrDefault("sizes", DEFAULT_SIZES).split(","))
              .mapToInt(Integer::parseInt)
              .toArray();
      bench.run(reps);
    }
  }

  private void run(int reps) throws Exception {
    System.out.printf(Locale.ROOT, "%n=== %s: %s, %d repetitions ===%n", name, url, reps);
    try (JdbcStores stores =
            JdbcStores.builder()
                .url(url)
                .user(user)
                .password(password)
                .maxPoolSize(10)
                .queueCapacity(10_000)
                .build();
        HikariDataSource baselinePool = pool()) {
      MessageStore ours = stores.messages();
      GimWay gim = new GimWay(url);
      warmUp(ours, gim, baselinePool);
      Map<String, List<double[]>> results = new LinkedHashMap<>();
      for (int rep = 1; rep <= reps; rep++) {
        for (int size : sizes) {
          double[] r = fanOut(ours, gim, baselinePool, size);
          results.computeIfAbsent("fan-out " + size, k -> new ArrayList<>()).add(r);
          System.out.printf(
              Locale.ROOT,
              "rep %d  N=%-6d (a) GIM %10.0f rows/s p50 %8.2f ms p99 %8.2f ms | (b) ours %10.0f"
                  + " rows/s p50 %8.2f ms p99 %8.2f ms | ratio %6.1fx%n",
              rep,
              size,
              r[0],
              r[1],
              r[2],
              r[3],
              r[4],
              r[5],
              r[3] / r[0]);
        }
        if (senders == 0) {
          continue;
        }
        double[] s = sustained(ours, gim, baselinePool);
        results.computeIfAbsent("1:1 x" + senders, k -> new ArrayList<>()).add(s);
        System.out.printf(
            Locale.ROOT,
            "rep %d  1:1 with %d senders, %d s: (a) GIM %8.0f msg/s p50 %7.2f ms p99 %7.2f ms | (b)"
                + " ours %8.0f msg/s p50 %7.2f ms p99 %7.2f ms | ratio %5.1fx%n",
            rep,
            senders,
            seconds,
            s[0],
            s[1],
            s[2],
            s[3],
            s[4],
            s[5],
            s[3] / s[0]);
      }
      summary(results);
    }
  }

  /**
   * Rows/s and per-message p50/p99 ms of (a) then (b), for messages to {@code size} fresh users.
   */
  private double[] fanOut(MessageStore ours, GimWay gim, HikariDataSource pool, int size)
      throws Exception {
    List<Long> users = users(size);
    // Creates the users' seq rows first, so both ways update existing rows, as for a group.
    ours.append(AppendRequest.of(message(), users)).toCompletableFuture().get();
    int oursCount = size <= 2 ? 300 : size <= 100 ? 50 : size <= 1_000 ? 10 : 5;
    int gimCount = size <= 2 ? 300 : size <= 100 ? 10 : size <= 1_000 ? 2 : 1;
    Histogram a = new Histogram(3);
    Histogram b = new Histogram(3);
    long aNanos = 0;
    long bNanos = 0;
    // Alternating (a) and (b) exposes both to the same moments of a shared machine's load.
    try (Connection c = pool.getConnection()) {
      for (int i = 0; i < Math.max(gimCount, oursCount); i++) {
        if (i < gimCount) {
          long t0 = System.nanoTime();
          gim.store(c, users.get(0), CONTENT, users);
          long t = System.nanoTime() - t0;
          aNanos += t;
          a.recordValue(t / 1_000);
        }
        if (i < oursCount) {
          long t0 = System.nanoTime();
          ours.append(AppendRequest.of(message(), users)).toCompletableFuture().get();
          long t = System.nanoTime() - t0;
          bNanos += t;
          b.recordValue(t / 1_000);
        }
      }
    }
    return new double[] {
      (double) gimCount * size / (aNanos / 1e9), ms(a, 50), ms(a, 99),
      (double) oursCount * size / (bNanos / 1e9), ms(b, 50), ms(b, 99)
    };
  }

  /** Msg/s and p50/p99 ms of (a) then (b): {@code senders} threads each sending 1:1 messages. */
  private double[] sustained(MessageStore ours, GimWay gim, HikariDataSource pool)
      throws Exception {
    long base = base();
    // Both ways then update existing seq rows, and H2's MERGE meets no concurrent first insert.
    List<Long> all = new ArrayList<>();
    for (int i = 0; i < senders; i++) {
      all.add(base + i);
      all.add(base + 10_000 + i);
    }
    ours.append(AppendRequest.of(message(), all)).toCompletableFuture().get();
    double[] a =
        load(
            (sender, peer) -> {
              try (Connection c = pool.getConnection()) {
                gim.store(c, sender, CONTENT, List.of(sender, peer));
              }
            },
            base);
    double[] b =
        load(
            (sender, peer) ->
                ours.append(AppendRequest.of(message(), List.of(sender, peer)))
                    .toCompletableFuture()
                    .get(),
            base + 10_000);
    return new double[] {a[0], a[1], a[2], b[0], b[1], b[2]};
  }

  private double[] load(Send send, long base) throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(senders);
    AtomicBoolean stop = new AtomicBoolean();
    List<Future<Histogram>> done = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int i = 0; i < senders; i++) {
      long sender = base + i;
      long peer = base + (i + 1) % senders;
      done.add(
          threads.submit(
              () -> {
                Histogram h = new Histogram(3);
                while (!stop.get()) {
                  long s = System.nanoTime();
                  send.send(sender, peer);
                  h.recordValue((System.nanoTime() - s) / 1_000);
                }
                return h;
              }));
    }
    TimeUnit.SECONDS.sleep(seconds);
    stop.set(true);
    Histogram all = new Histogram(3);
    for (Future<Histogram> f : done) {
      all.add(f.get(60, TimeUnit.SECONDS));
    }
    double elapsed = (System.nanoTime() - t0) / 1e9;
    threads.shutdown();
    return new double[] {all.getTotalCount() / elapsed, ms(all, 50), ms(all, 99)};
  }

  private void warmUp(MessageStore ours, GimWay gim, HikariDataSource pool) throws Exception {
    List<Long> users = users(100);
    try (Connection c = pool.getConnection()) {
      for (int i = 0; i < 50; i++) {
        ours.append(AppendRequest.of(message(), users)).toCompletableFuture().get();
        gim.store(c, users.get(0), CONTENT, users.subList(0, 20));
      }
    }
    ours.append(AppendRequest.of(message(), users(10_000))).toCompletableFuture().get();
    // Small appends dominate the timed cases: let the JIT see their code paths too.
    try (Connection c = pool.getConnection()) {
      for (int i = 0; i < 500; i++) {
        ours.append(AppendRequest.of(message(), users.subList(0, 2))).toCompletableFuture().get();
        gim.store(c, users.get(0), CONTENT, users.subList(0, 2));
      }
    }
  }

  private void summary(Map<String, List<double[]>> results) {
    System.out.printf(
        Locale.ROOT,
        "%n--- %s summary: median (min-max) over %d repetitions ---%n",
        name,
        results.values().iterator().next().size());
    System.out.println(
        "| case | (a) GIM's way | (b) ours | (b)/(a) | (a) p50 / p99 ms | (b) p50 / p99 ms |");
    System.out.println("|---|---|---|---|---|---|");
    for (Map.Entry<String, List<double[]>> e : results.entrySet()) {
      List<double[]> rs = e.getValue();
      String unit = e.getKey().startsWith("1:1") ? " msg/s" : " rows/s";
      System.out.printf(
          Locale.ROOT,
          "| %s | %s%s | %s%s | %s | %s / %s | %s / %s |%n",
          e.getKey(),
          stat(rs, r -> r[0], "%.0f"),
          unit,
          stat(rs, r -> r[3], "%.0f"),
          unit,
          stat(rs, r -> r[3] / r[0], "%.1fx"),
          stat(rs, r -> r[1], "%.2f"),
          stat(rs, r -> r[2], "%.2f"),
          stat(rs, r -> r[4], "%.2f"),
          stat(rs, r -> r[5], "%.2f"));
    }
  }

  private static String stat(
      List<double[]> rs, java.util.function.ToDoubleFunction<double[]> f, String fmt) {
    double[] v = rs.stream().mapToDouble(f).sorted().toArray();
    String median = String.format(Locale.ROOT, fmt, v[v.length / 2]);
    if (v.length == 1) {
      return median;
    }
    return median
        + " ("
        + String.format(Locale.ROOT, fmt, v[0])
        + "-"
        + String.format(Locale.ROOT, fmt, v[v.length - 1])
        + ")";
  }

  private HikariDataSource pool() {
    HikariConfig config = new HikariConfig();
    config.setPoolName("gim-bench-baseline");
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(10);
    config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
    return new HikariDataSource(config);
  }

  private static List<Long> users(int n) {
    long base = base();
    List<Long> users = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      users.add(base + i);
    }
    return users;
  }

  private static long base() {
    return ThreadLocalRandom.current().nextLong(1, 1L << 40) * 1_000_000L;
  }

  private static NewMessage message() {
    return new NewMessage(1, 1, 2, CONTENT, System.currentTimeMillis());
  }

  private static double ms(Histogram h, double percentile) {
    return h.getValueAtPercentile(percentile) / 1_000.0;
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> opts = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException(
            "option: " + args[i] + " (expected: --name value); args " + Arrays.toString(args));
      }
      opts.put(args[i].substring(2), args[i + 1]);
    }
    return opts;
  }

  @FunctionalInterface
  private interface Send {
    void send(long sender, long peer) throws Exception;
  }
}
