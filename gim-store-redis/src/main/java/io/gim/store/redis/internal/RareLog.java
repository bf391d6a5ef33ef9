package io.gim.store.redis.internal;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Warnings of one kind at most once per interval, so that a flood of the same trouble (malformed
 * payloads, a failing listener, dropped events) cannot flood the log. Thread-safe.
 */
final class RareLog {
  private final Logger log;
  private final long intervalNanos;
  private final AtomicLong last;

  RareLog(Logger log, Duration interval) {
    this.log = log;
    this.intervalNanos = interval.toNanos();
    this.last = new AtomicLong(System.nanoTime() - intervalNanos);
  }

  /** Logs at warn level unless this log wrote less than an interval ago. */
  void warn(String format, Object... args) {
    long now = System.nanoTime();
    long previous = last.get();
    if (now - previous >= intervalNanos && last.compareAndSet(previous, now)) {
      log.warn(format + " (logged at most once per " + intervalText() + ")", args);
    }
  }

  private String intervalText() {
    Duration d = Duration.ofNanos(intervalNanos);
    return d.toMinutes() > 0 ? d.toMinutes() + " min" : d.toSeconds() + " s";
  }
}
