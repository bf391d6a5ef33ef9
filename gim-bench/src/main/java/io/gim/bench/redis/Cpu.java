package io.gim.bench.redis;

import io.gim.bench.ProcStat;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleSupplier;

/**
 * CPU busy over an interval, in cores: this JVM (the load side), each redis-server process, and
 * each core of the machine. Thread-safe (immutable).
 */
public final class Cpu {
  private final long[] redisPids;
  private final DoubleSupplier loadSeconds;

  public Cpu(List<Long> redisPids) {
    this(redisPids, () -> 0);
  }

  /**
   * Also reads {@code loadSeconds}: the CPU seconds of this JVM's load threads (a client that
   * shares the JVM with the server it loads), shown apart from the rest of the JVM.
   */
  public Cpu(List<Long> redisPids, DoubleSupplier loadSeconds) {
    this.redisPids = redisPids.stream().mapToLong(Long::longValue).toArray();
    this.loadSeconds = loadSeconds;
  }

  /** The counters now. */
  public Snapshot now() {
    double[] redis = new double[redisPids.length];
    for (int i = 0; i < redis.length; i++) {
      redis[i] = ProcStat.cpuSeconds(redisPids[i]);
    }
    return new Snapshot(
        System.nanoTime(),
        ProcStat.cpuSeconds(ProcStat.selfPid()),
        loadSeconds.getAsDouble(),
        redis,
        ProcStat.coreTicks());
  }

  /**
   * Counters at one instant: CPU seconds of this JVM, of its load threads and of each redis-server,
   * core ticks.
   */
  public record Snapshot(long nanos, double self, double load, double[] redis, long[][] cores) {
    /** Busy figures between {@code before} and this snapshot. */
    public Busy since(Snapshot before) {
      double seconds = (nanos - before.nanos) / 1e9;
      double[] redisBusy = new double[redis.length];
      for (int i = 0; i < redis.length; i++) {
        redisBusy[i] =
            redis[i] < 0 || before.redis[i] < 0 ? -1 : (redis[i] - before.redis[i]) / seconds;
      }
      double[] coreBusy = new double[Math.min(cores.length, before.cores.length)];
      for (int c = 0; c < coreBusy.length; c++) {
        long total = cores[c][1] - before.cores[c][1];
        coreBusy[c] = total <= 0 ? -1 : (double) (cores[c][0] - before.cores[c][0]) / total;
      }
      return new Busy(
          seconds,
          (self - before.self) / seconds,
          (load - before.load) / seconds,
          redisBusy,
          coreBusy);
    }
  }

  /**
   * Busy figures of one interval; -1 where a counter could not be read (a Redis on another host).
   *
   * @param bench cores this JVM kept busy: the load side, Lettuce included
   * @param load cores the JVM's load threads kept busy, when the Cpu was told how to read them
   * @param redis cores each redis-server process kept busy
   * @param cores each core's busy fraction, 0 to 1, whoever kept it busy
   */
  public record Busy(double seconds, double bench, double load, double[] redis, double[] cores) {
    /** All redis-server processes together, or -1 if any is unknown. */
    public double redisTotal() {
      double sum = 0;
      for (double r : redis) {
        if (r < 0) {
          return -1;
        }
        sum += r;
      }
      return sum;
    }

    /**
     * The load side limits the figure when this JVM works harder than Redis does: Redis could take
     * more. (Unknown when the Redis processes cannot be read.)
     */
    public boolean loadSideBound() {
      double r = redisTotal();
      return r >= 0 && bench > r;
    }

    /**
     * Cores kept busy by everything else on the machine (other processes, the kernel's work for
     * nobody in particular): the cores' busy sum less this JVM and Redis; -1 if unknown.
     */
    public double others() {
      double redisTotal = redisTotal();
      if (redisTotal < 0 || cores.length == 0) {
        return -1;
      }
      double sum = 0;
      for (double c : cores) {
        if (c < 0) {
          return -1;
        }
        sum += c;
      }
      return Math.max(0, sum - bench - redisTotal);
    }

    /** Both cores nearly full: the machine, not one process, is the limit. */
    public boolean coresFull() {
      for (double c : cores) {
        if (c < 0.9) {
          return false;
        }
      }
      return cores.length > 0;
    }

    /** Redis's busy figure, with each node's share when there are several. */
    public String redisText() {
      String total = number(redisTotal());
      if (redis.length < 2) {
        return total;
      }
      StringBuilder sb = new StringBuilder(total).append(" (");
      for (int i = 0; i < redis.length; i++) {
        sb.append(i == 0 ? "" : "+").append(number(redis[i]));
      }
      return sb.append(')').toString();
    }

    /** The cores' busy fractions, {@code 0.97/0.88}. */
    public String coresText() {
      StringBuilder sb = new StringBuilder();
      for (int c = 0; c < cores.length; c++) {
        sb.append(c == 0 ? "" : "/").append(number(cores[c]));
      }
      return sb.toString();
    }

    private static String number(double v) {
      return v < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", v);
    }
  }
}
