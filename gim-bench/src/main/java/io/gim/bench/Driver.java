package io.gim.bench;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Drives publishers at a target rate (or as fast as the windows allow), in a warm-up phase and a
 * measured phase separated by a full drain, so delivered/expected of the measured phase is exact.
 * Runs on the calling thread; not thread-safe.
 */
final class Driver {
  private static final long QUIESCE_NANOS = TimeUnit.SECONDS.toNanos(15);
  private static final int MAX_BATCH = 64;

  private final String label;
  private final List<? extends Publisher> publishers;
  private final int fanout;
  private final boolean acks;
  private final Counters counters;
  private final Options o;
  private Runnable measureStarted = () -> {};
  private Runnable measureEnded = () -> {};

  /**
   * @param fanout deliveries per message
   * @param acks whether every message is acknowledged (GIM and the relay floor)
   */
  Driver(
      String label,
      List<? extends Publisher> publishers,
      int fanout,
      boolean acks,
      Counters counters,
      Options o) {
    this.label = label;
    this.publishers = publishers;
    this.fanout = fanout;
    this.acks = acks;
    this.counters = counters;
    this.o = o;
  }

  /**
   * Called on the driving thread when the measured phase starts (after the warm-up has drained) and
   * when it ends (after its own drain): for readings taken over exactly that interval.
   */
  Driver onMeasure(Runnable started, Runnable ended) {
    this.measureStarted = started;
    this.measureEnded = ended;
    return this;
  }

  /** Warms up, then measures; adds the figures of the measured phase to {@code result}. */
  void run(Result result, long serverPid) {
    double rate = o.decimal("rate", 0);
    int window = o.integer("window", 32);
    phase(
        "warm-up",
        o.decimal("warmup", 2),
        o.longValue("warmup-messages", Long.MAX_VALUE),
        rate,
        window);
    quiesce();
    long sent0 = counters.sent.sum();
    long delivered0 = counters.delivered.sum();
    long errors0 = counters.errors.sum();
    counters.resetLatencies();
    double server0 = ProcStat.cpuSeconds(serverPid);
    double load0 = ProcStat.cpuSeconds(ProcStat.selfPid());
    long[] dbPids = Json.list(o.str("db-pids", "")).stream().mapToLong(Long::parseLong).toArray();
    double db0 = cpuSeconds(dbPids);
    measureStarted.run();
    long t0 = System.nanoTime();
    phase(
        "measure", o.decimal("seconds", 5), o.longValue("messages", Long.MAX_VALUE), rate, window);
    boolean drained = quiesce();
    measureEnded.run();
    double seconds = (System.nanoTime() - t0) / 1e9;
    double serverCpu = ProcStat.cpuSeconds(serverPid) - server0;
    double loadCpu = ProcStat.cpuSeconds(ProcStat.selfPid()) - load0;
    double dbCpu = cpuSeconds(dbPids) - db0;
    long messages = counters.sent.sum() - sent0;
    long delivered = counters.delivered.sum() - delivered0;
    result
        .put("rate", rate)
        .put("window", window)
        .put("fanout", fanout)
        .put("messages", messages)
        .put("expected", messages * fanout)
        .put("delivered", delivered)
        .put("errors", counters.errors.sum() - errors0)
        .put("drained", drained ? "yes" : "no")
        .put("seconds", seconds)
        .put("messagesPerSec", messages / seconds)
        .put("deliveriesPerSec", delivered / seconds);
    if (serverPid > 0) {
      result
          .put("serverCpuSec", serverCpu)
          .put("serverCpuPerMillionDeliveries", serverCpu / Math.max(1, delivered) * 1e6)
          .put("serverCpuPer1000Messages", serverCpu / Math.max(1, messages) * 1e3)
          .put("serverCoreBusy", serverCpu / seconds);
    }
    result.put("loadCpuSec", loadCpu).put("loadCoreBusy", loadCpu / seconds);
    if (dbPids.length > 0) {
      result.put("dbCpuSec", dbCpu).put("dbCoreBusy", dbCpu / seconds);
    }
    counters.putLatencies(result);
  }

  /** CPU seconds of the database's processes (those readable), summed. */
  private static double cpuSeconds(long[] pids) {
    double sum = 0;
    for (long pid : pids) {
      sum += Math.max(0, ProcStat.cpuSeconds(pid));
    }
    return sum;
  }

  private void phase(String name, double seconds, long maxMessages, double rate, int window) {
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    long sentAtStart = counters.sent.sum();
    long nextReport = start + TimeUnit.SECONDS.toNanos(1);
    long sentInPhase = 0;
    int next = 0;
    while (System.nanoTime() < end && sentInPhase < maxMessages) {
      long now = System.nanoTime();
      long budget = rate > 0 ? (long) (rate * (now - start) / 1e9) - sentInPhase : Long.MAX_VALUE;
      long outstanding = counters.sent.sum() - counters.delivered.sum() / fanout;
      long global = (long) window * publishers.size() - outstanding;
      long room = Math.min(Math.min(budget, global), maxMessages - sentInPhase);
      boolean any = false;
      for (int k = 0; k < publishers.size() && room > 0; k++) {
        Publisher p = publishers.get(next);
        next = (next + 1) % publishers.size();
        int n = (int) Math.min(Math.min(room, MAX_BATCH), window - p.inFlight());
        if (n > 0) {
          p.publish(n);
          counters.sent.add(n);
          sentInPhase += n;
          room -= n;
          any = true;
        }
      }
      if (!any) {
        LockSupport.parkNanos(20_000);
      }
      if (now > nextReport) {
        nextReport += TimeUnit.SECONDS.toNanos(1);
        progress(name, sentAtStart, start);
      }
    }
  }

  private void progress(String name, long sentAtStart, long start) {
    double s = (System.nanoTime() - start) / 1e9;
    long sent = counters.sent.sum() - sentAtStart;
    System.err.printf(
        "[%s %s] %.0fs sent=%,d (%,.0f/s) delivered=%,d errors=%d%n",
        label, name, s, sent, sent / s, counters.delivered.sum(), counters.errors.sum());
  }

  /** Waits until every message sent so far is delivered (and acknowledged); false on timeout. */
  private boolean quiesce() {
    long deadline = System.nanoTime() + QUIESCE_NANOS;
    while (System.nanoTime() < deadline) {
      long sent = counters.sent.sum();
      boolean delivered = counters.delivered.sum() >= sent * fanout;
      boolean acked = !acks || counters.acked.sum() >= sent;
      if (delivered && acked) {
        return true;
      }
      LockSupport.parkNanos(100_000);
    }
    System.err.printf(
        "[%s] not drained: sent=%,d delivered=%,d acked=%,d%n",
        label, counters.sent.sum(), counters.delivered.sum(), counters.acked.sum());
    return false;
  }
}
