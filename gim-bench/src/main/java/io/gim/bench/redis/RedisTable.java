package io.gim.bench.redis;

import io.gim.bench.Json;
import io.gim.bench.Options;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The report of one target: a header, a table with the ratios to the floors and the busy figures
 * beside each rate, and the same as one JSON line (and file). Not thread-safe.
 */
final class RedisTable {
  static final String NOT_IMPLEMENTED = "not implemented in this build";

  private final Map<String, Object> head = new LinkedHashMap<>();
  private final List<String> notes = new ArrayList<>();
  private long deleted;
  private long left = -1;

  RedisTable(Deployment d, List<Long> pids, String prefix, Options o) {
    head.put("bench", "redis");
    head.put("target", d.name());
    head.put("redis", d.where());
    head.put("redisVersion", d.version());
    head.put("redisPids", pids.stream().map(String::valueOf).collect(Collectors.joining(",")));
    head.put("keyPrefix", prefix);
    head.put("options", o.toString());
    head.put("startedAt", Instant.now().toString());
    head.put("loadAverageStart", loadAverage());
    head.put("jvm", jvm());
    head.put("cores", Runtime.getRuntime().availableProcessors());
  }

  String header() {
    return String.format(
        Locale.ROOT,
        "=== redis %s: %s, Redis %s, redis-server pid %s; keys %s*%n"
            + "options: %s; JVM %s; %d cores; load average %s",
        head.get("target"),
        head.get("redis"),
        head.get("redisVersion"),
        head.get("redisPids"),
        head.get("keyPrefix"),
        head.get("options"),
        head.get("jvm"),
        head.get("cores"),
        head.get("loadAverageStart"));
  }

  /** Something the table must say (on stderr at once, under the table later). */
  void note(String text) {
    System.err.println(text);
    notes.add(text);
  }

  void cleanedUp(long deleted, long left) {
    this.deleted = deleted;
    this.left = left;
  }

  /**
   * Items/s of {@code m} as a ratio to its floor: the mean of the two INCR+RPUSH floors, whose
   * writes go out as the stores' do, one per command (lookups: the HGETALL floor).
   */
  private static double ratio(Measurement m, List<Measurement> rows) {
    double floor =
        switch (m.key()) {
          case "presence", "lookupFloor" -> find(rows, "lookupFloor");
          default -> (find(rows, "floor") + find(rows, "floorAgain")) / 2;
        };
    return floor > 0 ? m.itemsPerSecond() / floor : Double.NaN;
  }

  /** Items/s of an append as a ratio to the floor with batched writes; NaN for lookups. */
  private static double batchedRatio(Measurement m, List<Measurement> rows) {
    double floor = find(rows, "floorBatched");
    return m.key().equals("presence") || m.key().equals("lookupFloor") || !(floor > 0)
        ? Double.NaN
        : m.itemsPerSecond() / floor;
  }

  private static double find(List<Measurement> rows, String key) {
    return rows.stream()
        .filter(m -> m.key().equals(key))
        .mapToDouble(Measurement::itemsPerSecond)
        .findFirst()
        .orElse(Double.NaN);
  }

  void print(List<Measurement> rows, boolean presence) {
    System.out.printf("%n%s%n%n", header());
    String format = "%-24s %9s %10s %7s %7s %7s %8s %6s | %5s %-23s %6s %-9s | %6s %6s | %s%n";
    System.out.printf(
        Locale.ROOT,
        format,
        "operation",
        "ops/s",
        "items/s",
        "x floor",
        "x batch",
        "p50 ms",
        "p99 ms",
        "errors",
        "bench",
        "redis-server",
        "others",
        "cores",
        "redis",
        "bench",
        "bound");
    System.out.printf(
        Locale.ROOT,
        format,
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "busy",
        "busy (cores)",
        "busy",
        "busy",
        "CPU-s per M items",
        "",
        "");
    System.out.println("-".repeat(165));
    for (Measurement m : rows) {
      System.out.printf(
          Locale.ROOT,
          format,
          m.name(),
          String.format(Locale.ROOT, "%,.0f", m.opsPerSecond()),
          String.format(Locale.ROOT, "%,.0f", m.itemsPerSecond()),
          String.format(Locale.ROOT, "%.2f", ratio(m, rows)),
          Double.isNaN(batchedRatio(m, rows))
              ? ""
              : String.format(Locale.ROOT, "%.2f", batchedRatio(m, rows)),
          String.format(Locale.ROOT, "%.2f", m.p50Millis()),
          String.format(Locale.ROOT, "%.2f", m.p99Millis()),
          m.errors(),
          String.format(Locale.ROOT, "%.2f", m.busy().bench()),
          m.busy().redisText(),
          cpuPerMillion(m.busy().others()),
          m.busy().coresText(),
          cpuPerMillion(m.redisCpuSecondsPerMillion()),
          cpuPerMillion(m.benchCpuSecondsPerMillion()),
          m.bound());
      if (m.key().equals("lookupFloor") && !presence) {
        System.out.printf("%-24s %s%n", "presence lookup", NOT_IMPLEMENTED);
      }
    }
    System.out.println(
        "items: inbox entries (users for lookups); x floor: items/s over the mean msgs/s of the"
            + " two INCR+RPUSH floors (lookups: over the HGETALL floor); x batch: over the floor"
            + " with batched writes.");
    System.out.printf(
        Locale.ROOT,
        "in flight: %s (1:1, floors), %s (group, lookups); p50/p99 from issue to reply.%n",
        rows.get(0).inFlight(),
        rows.stream()
            .filter(m -> m.key().equals("group"))
            .findFirst()
            .map(m -> m.inFlight())
            .get());
    for (Measurement m : rows) {
      if (m.firstError() != null || !m.drained()) {
        System.out.printf(
            "%s: %d errors, first: %s%s%n",
            m.name(), m.errors(), m.firstError(), m.drained() ? "" : "; did not drain in 60 s");
      }
    }
    notes.forEach(n -> System.out.println("note: " + n));
    System.out.printf(
        "keys: %,d deleted, %d left; load average now %s%n", deleted, left, loadAverage());
  }

  /** The JSON line on stdout and, with the same content, a file under {@code dir}. */
  Path writeJson(List<Measurement> rows, boolean presence, Path dir) throws IOException {
    Map<String, Object> json = new LinkedHashMap<>(head);
    json.put("loadAverageEnd", loadAverage());
    for (Measurement m : rows) {
      String k = m.key() + ".";
      json.put(k + "opsPerSec", m.opsPerSecond());
      json.put(k + "itemsPerSec", m.itemsPerSecond());
      json.put(k + "xFloor", ratio(m, rows));
      if (!Double.isNaN(batchedRatio(m, rows))) {
        json.put(k + "xBatchedFloor", batchedRatio(m, rows));
      }
      json.put(k + "p50Ms", m.p50Millis());
      json.put(k + "p99Ms", m.p99Millis());
      json.put(k + "errors", m.errors());
      json.put(k + "inFlight", m.inFlight());
      json.put(k + "benchBusy", m.busy().bench());
      json.put(k + "redisBusy", m.busy().redisTotal());
      json.put(k + "redisBusyEach", m.busy().redisText());
      json.put(k + "othersBusy", m.busy().others());
      json.put(k + "coresBusy", m.busy().coresText());
      json.put(k + "redisCpuSecPerMillion", m.redisCpuSecondsPerMillion());
      json.put(k + "benchCpuSecPerMillion", m.benchCpuSecondsPerMillion());
      json.put(k + "bound", m.bound());
    }
    if (!presence) {
      json.put("presence", NOT_IMPLEMENTED);
    }
    json.put("notes", String.join(" | ", notes));
    json.put("keysDeleted", deleted);
    json.put("keysLeft", left);
    System.out.println("json-line: " + Json.line(json));
    Files.createDirectories(dir);
    Path file =
        dir.resolve("redis-" + head.get("target") + "-" + System.currentTimeMillis() + ".json");
    Files.writeString(file, Json.write(json));
    return file;
  }

  /**
   * Whether every operation succeeded and drained, nothing had to be measured again, and no key was
   * left behind.
   */
  boolean ok(List<Measurement> rows) {
    return left == 0
        && notes.isEmpty()
        && rows.stream().allMatch(m -> m.errors() == 0 && m.drained());
  }

  /** A figure, or n/a when it could not be read (-1). */
  private static String cpuPerMillion(double v) {
    return v < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", v);
  }

  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "n/a";
    }
  }

  private static String jvm() {
    String gc =
        ManagementFactory.getGarbageCollectorMXBeans().stream()
            .map(GarbageCollectorMXBean::getName)
            .collect(Collectors.joining("+"));
    return String.format(
        Locale.ROOT,
        "%s, %s, max heap %.1f GiB",
        Runtime.version(),
        gc,
        Runtime.getRuntime().maxMemory() / (double) (1L << 30));
  }
}
