package io.gim.client.internal;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential reconnect backoff with full jitter: attempt {@code n} waits a uniformly random time
 * in {@code [0, min(max, initial * 2^n)]}, which spreads a crowd of clients that lost the same
 * server instead of bringing them back in waves. Immutable and thread-safe if the random source is.
 */
public final class Backoff {

  private final long initialMillis;
  private final long maxMillis;
  private final DoubleSupplier random;

  /**
   * @param random yields values in {@code [0, 1)}, e.g. {@code
   *     ThreadLocalRandom.current()::nextDouble}
   */
  public Backoff(Duration initial, Duration max, DoubleSupplier random) {
    this.initialMillis = initial.toMillis();
    this.maxMillis = max.toMillis();
    this.random = random;
  }

  /** The largest delay attempt {@code attempt} (0-based) may wait. */
  public long ceilingMillis(int attempt) {
    int shift = Math.min(Math.max(attempt, 0), 62);
    // Past this shift the product would overflow; the cap applies long before anyway.
    if (initialMillis > (maxMillis >> shift)) {
      return maxMillis;
    }
    return Math.min(maxMillis, initialMillis << shift);
  }

  /**
   * A random delay for attempt {@code attempt} (0-based) in {@code [0, ceilingMillis(attempt)]}.
   */
  public Duration delay(int attempt) {
    long ceiling = ceilingMillis(attempt);
    return Duration.ofMillis(Math.round(random.getAsDouble() * ceiling));
  }
}
