package io.gim.bench.redis;

/**
 * The figures of one measured operation.
 *
 * @param key what was measured, as the JSON names it
 * @param name what was measured, as the table shows it
 * @param itemsPerOp inbox entries (or users looked up) per operation
 * @param inFlight the most operations in flight
 * @param opsPerSecond successful operations per second over the measured interval; 0 when an
 *     operation failed
 * @param p50Millis median latency, issue to completion
 * @param p99Millis 99th percentile latency
 * @param errors failed operations, warm-up included (the loop stops at the first)
 * @param firstError when and how the first operation failed, or null
 * @param drained whether every operation in flight completed within a minute of the end
 * @param busy CPU busy over the measured interval
 */
public record Measurement(
    String key,
    String name,
    int itemsPerOp,
    int inFlight,
    double opsPerSecond,
    double p50Millis,
    double p99Millis,
    long errors,
    String firstError,
    boolean drained,
    Cpu.Busy busy) {

  public double itemsPerSecond() {
    return opsPerSecond * itemsPerOp;
  }

  /** CPU seconds all redis-server processes spent per million items, or -1 if unknown. */
  double redisCpuSecondsPerMillion() {
    double redis = busy.redisTotal();
    return redis < 0 || opsPerSecond == 0 ? -1 : redis / itemsPerSecond() * 1e6;
  }

  /** CPU seconds this JVM spent per million items, or -1 if none succeeded. */
  double benchCpuSecondsPerMillion() {
    return opsPerSecond == 0 ? -1 : busy.bench() / itemsPerSecond() * 1e6;
  }

  /** What limits the figure, as far as the busy figures tell. */
  String bound() {
    String side = busy.loadSideBound() ? "load-side bound" : busy.redisTotal() < 0 ? "?" : "redis";
    return busy.coresFull() ? side + ", cores full" : side;
  }
}
