package io.gim.transport.netty.internal;

import io.gim.spi.GimErrorCode;
import io.gim.spi.GimException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The node link's meters: {@code gim.link.calls}, a timer per call kind ({@code deliver}, {@code
 * kick}) and outcome ({@code ok}, {@code busy}: too many calls or pushes waiting for that node,
 * {@code unavailable}: not reached in time or its breaker is open, {@code error}). Without a
 * registry the meters record nothing. Thread-safe.
 */
public final class LinkMeters {
  private final MeterRegistry registry;
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();

  private LinkMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Meters in {@code registry}, or meters that record nothing for null. */
  public static LinkMeters of(MeterRegistry registry) {
    return new LinkMeters(registry != null ? registry : new CompositeMeterRegistry());
  }

  /**
   * Times {@code stage} from now to its completion; returns a stage that completes as it does, once
   * the call is recorded (so a caller that saw it complete also sees it counted).
   */
  public <T> CompletionStage<T> time(String call, CompletionStage<T> stage) {
    long start = System.nanoTime();
    return stage.whenComplete(
        (v, e) -> timer(call, outcome(e)).record(System.nanoTime() - start, TimeUnit.NANOSECONDS));
  }

  private Timer timer(String call, String outcome) {
    return timers.computeIfAbsent(
        call + "|" + outcome,
        k ->
            Timer.builder("gim.link.calls")
                .description("Calls to other nodes through the node link, by kind and outcome")
                .tag("call", call)
                .tag("outcome", outcome)
                .publishPercentileHistogram()
                .register(registry));
  }

  private static String outcome(Throwable failure) {
    if (failure == null) {
      return "ok";
    }
    GimErrorCode code = GimException.from(failure).errorCode();
    if (code == GimErrorCode.BUSY) {
      return "busy";
    }
    return code == GimErrorCode.STORE_UNAVAILABLE ? "unavailable" : "error";
  }
}
