package io.gim.transport.netty.internal;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Admission to one remote node: at most {@code maxInFlight} calls at once, and a circuit breaker
 * that, after {@code failureThreshold} consecutive unreachable-node failures, refuses calls for a
 * cool-down and then lets one trial call through. Thread-safe; never blocks (the lock guards a few
 * fields only).
 */
public final class NodeGate {
  /** Why a call was or was not admitted. */
  public enum Admission {
    /** Admitted: report its outcome with {@link #succeeded()} or {@link #failed(boolean)}. */
    ADMITTED,
    /** Refused: the node already has {@code maxInFlight} calls in flight. */
    TOO_MANY_IN_FLIGHT,
    /** Refused: the breaker is open (or a trial call is under way). */
    BREAKER_OPEN
  }

  /** The breaker's state, for tests and diagnostics. */
  public enum BreakerState {
    CLOSED,
    OPEN,
    HALF_OPEN
  }

  private final int maxInFlight;
  private final int failureThreshold;
  private final long coolDownNanos;
  private final LongSupplier nanoClock;

  private int inFlight;
  private int consecutiveFailures;
  private BreakerState state = BreakerState.CLOSED;
  private long openUntilNanos;

  public NodeGate(
      int maxInFlight, int failureThreshold, long coolDownNanos, LongSupplier nanoClock) {
    this.maxInFlight = maxInFlight;
    this.failureThreshold = failureThreshold;
    this.coolDownNanos = coolDownNanos;
    this.nanoClock = nanoClock;
  }

  /** A gate on the system clock. */
  public static NodeGate of(int maxInFlight, int failureThreshold, long coolDownMillis) {
    return new NodeGate(
        maxInFlight,
        failureThreshold,
        TimeUnit.MILLISECONDS.toNanos(coolDownMillis),
        System::nanoTime);
  }

  /** Admits a call or says why not; an admitted call holds one in-flight slot until it ends. */
  public synchronized Admission tryAdmit() {
    // The in-flight check comes first so that a refused call never consumes the breaker's trial.
    if (inFlight >= maxInFlight) {
      return Admission.TOO_MANY_IN_FLIGHT;
    }
    switch (state) {
      case HALF_OPEN:
        return Admission.BREAKER_OPEN;
      case OPEN:
        if (nanoClock.getAsLong() - openUntilNanos < 0) {
          return Admission.BREAKER_OPEN;
        }
        state = BreakerState.HALF_OPEN;
        break;
      default:
        break;
    }
    inFlight++;
    return Admission.ADMITTED;
  }

  /** An admitted call reached the node (whatever the node answered). */
  public synchronized void succeeded() {
    inFlight--;
    consecutiveFailures = 0;
    state = BreakerState.CLOSED;
  }

  /**
   * An admitted call ended without an answer from the node.
   *
   * @param unreachable whether the failure says the node is unreachable or too slow (counts toward
   *     the breaker); other failures (our own cancellation at close) only free the slot
   * @return whether this failure opened the breaker
   */
  public synchronized boolean failed(boolean unreachable) {
    inFlight--;
    if (!unreachable) {
      if (state == BreakerState.HALF_OPEN) {
        // The trial proved nothing: let the next call try again.
        state = BreakerState.OPEN;
        openUntilNanos = nanoClock.getAsLong();
      }
      return false;
    }
    consecutiveFailures++;
    if (state == BreakerState.HALF_OPEN
        || (state == BreakerState.CLOSED && consecutiveFailures >= failureThreshold)) {
      state = BreakerState.OPEN;
      openUntilNanos = nanoClock.getAsLong() + coolDownNanos;
      return true;
    }
    return false;
  }

  public synchronized BreakerState breakerState() {
    return state;
  }

  public synchronized int inFlight() {
    return inFlight;
  }
}
