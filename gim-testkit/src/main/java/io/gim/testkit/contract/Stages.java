package io.gim.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.gim.spi.GimException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;
import org.awaitility.Awaitility;
import org.awaitility.core.ThrowingRunnable;

/** Bounded waits on SPI stages, concurrent runs and random ids; used by every contract suite. */
final class Stages {
  private static final long TIMEOUT_SECONDS = 10;

  private Stages() {}

  /** The stage's value, failing the test if it fails or takes longer than the bound. */
  static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("stage failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("stage not complete after " + TIMEOUT_SECONDS + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** The wire code of the stage's failure, failing the test if the stage succeeds. */
  static int failureCode(CompletionStage<?> stage) {
    Throwable failure = null;
    try {
      stage.toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      failure = e;
    } catch (TimeoutException e) {
      throw new AssertionError("stage not complete after " + TIMEOUT_SECONDS + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
    assertThat(failure).as("the stage should have failed").isNotNull();
    return GimException.from(failure).code();
  }

  /**
   * The stage's value, or the wire code (an {@code Integer}) of its failure; fails the test if it
   * takes longer than the bound.
   */
  static Object outcome(CompletionStage<?> stage) {
    try {
      return stage.toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return GimException.from(e.getCause()).code();
    } catch (TimeoutException e) {
      throw new AssertionError("stage not complete after " + TIMEOUT_SECONDS + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Polls {@code assertion} until it passes, failing the test after 10 s. */
  static void eventually(ThrowingRunnable assertion) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(TIMEOUT_SECONDS))
        .pollInterval(Duration.ofMillis(20))
        .untilAsserted(assertion);
  }

  /**
   * Runs {@code threads} tasks at once (released together by a latch) and returns their results in
   * task order, failing the test if any fails or all take longer than 50 s.
   */
  static <T> List<T> concurrently(int threads, IntFunction<Callable<T>> task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        Callable<T> body = task.apply(i);
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  return body.call();
                }));
      }
      start.countDown();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(50);
      List<T> results = new ArrayList<>();
      for (Future<T> f : futures) {
        results.add(f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * A random id base with room for a million ids above it, so that tests sharing a durable store do
   * not meet.
   */
  static long randomBase() {
    return ThreadLocalRandom.current().nextLong(1, 1L << 40) * 1_000_000L;
  }
}
