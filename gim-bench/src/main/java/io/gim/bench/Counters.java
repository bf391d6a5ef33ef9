package io.gim.bench;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/** What the load side counts and times. Thread-safe: adders and HdrHistogram recorders. */
public final class Counters {
  private static final long MAX_LATENCY_NANOS = TimeUnit.SECONDS.toNanos(60);

  public final LongAdder sent = new LongAdder();
  public final LongAdder delivered = new LongAdder();
  public final LongAdder acked = new LongAdder();
  public final LongAdder errors = new LongAdder();
  private final Recorder ackLatency = new Recorder(MAX_LATENCY_NANOS, 3);
  private final Recorder deliveryLatency = new Recorder(MAX_LATENCY_NANOS, 3);

  void ackedAfter(long sentAtNanos) {
    acked.increment();
    record(ackLatency, sentAtNanos);
  }

  void deliveredAfter(long sentAtNanos) {
    delivered.increment();
    record(deliveryLatency, sentAtNanos);
  }

  private static void record(Recorder r, long sentAtNanos) {
    if (sentAtNanos > 0) {
      r.recordValue(Math.min(MAX_LATENCY_NANOS, Math.max(0, System.nanoTime() - sentAtNanos)));
    }
  }

  /** Starts a new measurement interval: latencies recorded so far are dropped. */
  void resetLatencies() {
    ackLatency.getIntervalHistogram();
    deliveryLatency.getIntervalHistogram();
  }

  /** Adds p50/p99/p999/max in microseconds of both latencies since the last reset. */
  void putLatencies(Result result) {
    put(result, "ack", ackLatency.getIntervalHistogram());
    put(result, "delivery", deliveryLatency.getIntervalHistogram());
  }

  private static void put(Result r, String name, Histogram h) {
    if (h.getTotalCount() == 0) {
      return;
    }
    r.put(name + "P50us", h.getValueAtPercentile(50) / 1000.0);
    r.put(name + "P99us", h.getValueAtPercentile(99) / 1000.0);
    r.put(name + "P999us", h.getValueAtPercentile(99.9) / 1000.0);
    r.put(name + "MaxUs", h.getMaxValue() / 1000.0);
  }
}
