package io.gim.bench.redis;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Issues one kind of asynchronous operation from one thread as fast as completions allow, with at
 * most a fixed number in flight: a warm-up that is not recorded, then a measured interval with the
 * CPU counters read at its ends. Latency runs from issue to completion, so with the pipeline full
 * it is mostly the wait behind the operations ahead (Little's law: in flight ÷ rate).
 */
public final class ClosedLoop {
  /** One operation; {@code n} counts up from 0 over the run. */
  @FunctionalInterface
  public interface Op {
    CompletionStage<?> issue(long n);

    /**
     * Sends what {@link #issue} queued, for operations on a connection that does not flush each
     * command: called after every {@value #FLUSH_EVERY} issues and before waiting for a permit.
     */
    default void flush() {}
  }

  /** How many operations at most an {@link Op} that batches its writes queues between flushes. */
  static final int FLUSH_EVERY = 64;

  private final int inFlight;
  private final Duration warmup;
  private final Duration measured;
  private final Cpu cpu;

  public ClosedLoop(int inFlight, Duration warmup, Duration measured, Cpu cpu) {
    this.inFlight = inFlight;
    this.warmup = warmup;
    this.measured = measured;
    this.cpu = cpu;
  }

  /**
   * Runs {@code op}; each successful one stands for {@code itemsPerOp} items (inbox entries). Stops
   * at the first failure, with a rate of 0: a rate with failures in it would mislead.
   */
  public Measurement run(String key, String name, int itemsPerOp, Op op)
      throws InterruptedException {
    System.err.printf("  %s: %s warm-up, %s measured%n", name, warmup, measured);
    Semaphore permits = new Semaphore(inFlight);
    Histogram latencyMicros = new ConcurrentHistogram(3);
    AtomicLong done = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    AtomicReference<Throwable> firstError = new AtomicReference<>();
    long start = System.nanoTime();
    long measureFrom = start + warmup.toNanos();
    long end = measureFrom + measured.toNanos();
    Cpu.Snapshot before = null;
    long doneBefore = 0;
    String failedWhere = null;
    long n = 0;
    while (true) {
      long now = System.nanoTime();
      if (before == null && now >= measureFrom) {
        before = cpu.now();
        doneBefore = done.get();
      }
      if (now >= end) {
        break;
      }
      if (errors.get() > 0) {
        // A figure with failures in it is no figure: stop now, the caller may try again.
        failedWhere = before == null ? "in the warm-up" : "while measuring";
        System.err.printf("  %s: failing %s, stopped%n", name, failedWhere);
        if (before == null) {
          before = cpu.now();
        }
        break;
      }
      if (!permits.tryAcquire()) {
        op.flush();
        if (!permits.tryAcquire(50, TimeUnit.MILLISECONDS)) {
          continue;
        }
      }
      long issuedAt = System.nanoTime();
      boolean recorded = issuedAt >= measureFrom;
      CompletionStage<?> stage;
      try {
        stage = op.issue(n++);
        if (n % FLUSH_EVERY == 0) {
          op.flush();
        }
      } catch (RuntimeException e) {
        stage = CompletableFuture.failedFuture(e);
      }
      stage.whenComplete(
          (value, failure) -> {
            if (failure == null) {
              if (recorded) {
                latencyMicros.recordValue((System.nanoTime() - issuedAt) / 1_000);
              }
              done.incrementAndGet();
            } else {
              errors.incrementAndGet();
              firstError.compareAndSet(null, unwrap(failure));
            }
            permits.release();
          });
    }
    op.flush();
    Cpu.Snapshot after = cpu.now();
    long completed = done.get() - doneBefore;
    // What is still in flight finishes before the next measurement starts.
    boolean drained = permits.tryAcquire(inFlight, 60, TimeUnit.SECONDS);
    if (drained) {
      permits.release(inFlight);
    }
    Cpu.Busy busy = after.since(before);
    return new Measurement(
        key,
        name,
        itemsPerOp,
        inFlight,
        failedWhere != null || busy.seconds() <= 0 ? 0 : completed / busy.seconds(),
        latencyMicros.getValueAtPercentile(50) / 1_000.0,
        latencyMicros.getValueAtPercentile(99) / 1_000.0,
        errors.get(),
        failedWhere == null ? null : failedWhere + ": " + describe(firstError.get()),
        drained,
        busy);
  }

  /** The failure, its root cause and where that was thrown (three frames), or null. */
  private static String describe(Throwable t) {
    if (t == null) {
      return null;
    }
    StringBuilder sb = new StringBuilder(String.valueOf(t));
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root != t) {
      sb.append(", caused by ").append(root);
    }
    // The first frames outside the JDK say where (a stack overflow's first ones are constructors).
    int shown = 0;
    for (StackTraceElement frame : root.getStackTrace()) {
      if (shown == 3) {
        break;
      }
      if (!"java.base".equals(frame.getModuleName())) {
        sb.append(shown++ == 0 ? " at " : " < ").append(frame);
      }
    }
    return sb.toString();
  }

  private static Throwable unwrap(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }
}
