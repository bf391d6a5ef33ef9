package io.gim.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Drives publishers at a target rate (or as fast as the windows allow), in a warm-up phase and a
 * measured phase separated by a full drain, so delivered/expected of the measured phase is exact.
 * Either this thread paces {@link Publisher}s, or {@link LoopPacer}s send on the load's event loops
 * and this thread only starts, reports and stops them. Reports the busy share of the server's and
 * the load's processes and, with {@code --server-core}/{@code --load-core}, of those whole cores.
 * Runs on the calling thread; not thread-safe.
 */
final class Driver {
  private static final long QUIESCE_NANOS = TimeUnit.SECONDS.toNanos(15);
  private static final int MAX_BATCH = 64;

  private final String label;
  private final List<? extends Publisher> publishers;
  private final List<LoopPacer> pacers;
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
    this(label, publishers, List.of(), fanout, acks, counters, o);
  }

  /** Sends from {@code pacers}, on the load's event loops; the rest as above. */
  Driver(
      String label,
      int fanout,
      boolean acks,
      Counters counters,
      Options o,
      List<LoopPacer> pacers) {
    this(label, List.of(), pacers, fanout, acks, counters, o);
  }

  private Driver(
      String label,
      List<? extends Publisher> publishers,
      List<LoopPacer> pacers,
      int fanout,
      boolean acks,
      Counters counters,
      Options o) {
    this.label = label;
    this.publishers = publishers;
    this.pacers = pacers;
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
    long[][] cores0 = ProcStat.coreTicks();
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
    long[][] cores1 = ProcStat.coreTicks();
    double dbCpu = cpuSeconds(dbPids) - db0;
    long messages = counters.sent.sum() - sent0;
    long delivered = counters.delivered.sum() - delivered0;
    result
        .put("rate", rate)
        .put("tickUs", tickMicros(rate))
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
    if (!pacers.isEmpty()) {
      result.put("sendsBehindAtEnd", pacers.stream().mapToLong(LoopPacer::behind).sum());
    }
    if (serverPid > 0) {
      result
          .put("serverCpuSec", serverCpu)
          .put("serverCpuPerMillionDeliveries", serverCpu / Math.max(1, delivered) * 1e6)
          .put("serverCpuPer1000Messages", serverCpu / Math.max(1, messages) * 1e3)
          .put("serverCoreBusy", serverCpu / seconds);
    }
    result
        .put("loadCpuSec", loadCpu)
        .put("loadCpuPerMillionDeliveries", loadCpu / Math.max(1, delivered) * 1e6)
        .put("loadCoreBusy", loadCpu / seconds);
    putCores(result, cores0, cores1);
    if (dbPids.length > 0) {
      result.put("dbCpuSec", dbCpu).put("dbCoreBusy", dbCpu / seconds);
    }
    if (serverPid > 0) {
      // Judged on the processes: the load side must be the less busy one, or the figures are
      // the load generator's, a lower bound of the server's.
      boolean loadBound = loadCpu >= serverCpu;
      result.put("bottleneck", loadBound ? "load (figures are lower bounds)" : "server");
      System.err.printf(
          "[%s] server process %.2f of a core, load process %.2f%s%n",
          label,
          serverCpu / seconds,
          loadCpu / seconds,
          loadBound ? ": LOAD-BOUND, the figures are lower bounds" : "");
    }
    counters.putLatencies(result);
  }

  /**
   * Busy share of the server's and the load's cores (every process on them) over the phase, and the
   * share the hypervisor stole from them: on a shared host, a run with more steal is a noisier one.
   */
  private void putCores(Result result, long[][] before, long[][] after) {
    for (String which : new String[] {"server", "load"}) {
      int core = o.integer(which + "-core", -1);
      if (core >= 0 && core < Math.min(before.length, after.length)) {
        long busy = after[core][0] - before[core][0];
        long total = after[core][1] - before[core][1];
        long steal = after[core][2] - before[core][2];
        result.put(which + "CoreTotalBusy", total > 0 ? (double) busy / total : 0.0);
        result.put(which + "CoreSteal", total > 0 ? (double) steal / total : 0.0);
      }
    }
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
    if (!pacers.isEmpty()) {
      pacedPhase(name, seconds, maxMessages, rate, window);
      return;
    }
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

  /**
   * The pacers' tick ({@code --tick-us}). Saturating, 100 µs: each tick tops up the windows, and a
   * longer one would leave them empty between ticks. At a fixed rate, 1 ms: every tick is an
   * event-loop wake-up, and on this machine's VM a wake-up is the dearest thing the load does (at 5
   * k/s with 100 µs ticks two thirds of the load thread's CPU was the hypervisor's interrupt enable
   * under wake-ups, and the load was twice as busy as the relay it measured). Sends are stamped
   * with their intended time, so the wait for a tick, 0.5 ms on average, is in every latency
   * measured.
   */
  private int tickMicros(double rate) {
    return o.integer("tick-us", rate > 0 ? 1_000 : 100);
  }

  /** A phase sent from the event loops; this thread starts, reports and stops it. */
  private void pacedPhase(String name, double seconds, long maxMessages, double rate, int window) {
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    long sentAtStart = counters.sent.sum();
    long tick = TimeUnit.MICROSECONDS.toNanos(tickMicros(rate));
    int total = pacers.stream().mapToInt(LoopPacer::senders).sum();
    List<CompletableFuture<Void>> started = new ArrayList<>();
    long maxLeft = maxMessages;
    for (int i = 0; i < pacers.size(); i++) {
      LoopPacer p = pacers.get(i);
      double share = (double) p.senders() / total;
      long max =
          maxMessages == Long.MAX_VALUE
              ? Long.MAX_VALUE
              : i == pacers.size() - 1 ? maxLeft : (long) (maxMessages * share);
      maxLeft -= max == Long.MAX_VALUE ? 0 : max;
      started.add(p.start(rate * share, window, max, fanout, (long) window * total, tick));
    }
    started.forEach(CompletableFuture::join);
    for (long nextReport = start + TimeUnit.SECONDS.toNanos(1);
        System.nanoTime() < end && !pacers.stream().allMatch(LoopPacer::finished); ) {
      LockSupport.parkNanos(Math.min(TimeUnit.MILLISECONDS.toNanos(50), end - System.nanoTime()));
      if (System.nanoTime() > nextReport) {
        nextReport += TimeUnit.SECONDS.toNanos(1);
        progress(name, sentAtStart, start);
      }
    }
    pacers.stream().map(LoopPacer::stop).toList().forEach(CompletableFuture::join);
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
