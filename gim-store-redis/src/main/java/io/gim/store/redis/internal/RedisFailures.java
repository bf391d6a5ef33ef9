package io.gim.store.redis.internal;

import io.gim.spi.GimErrorCode;
import io.gim.spi.GimException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns Lettuce failures into the wire codes callers see, with fixed texts (they reach clients in
 * {@code Reply.message}); the details go to this log, at most once a second.
 */
public final class RedisFailures {
  private static final Logger LOG = LoggerFactory.getLogger("io.gim.store.redis");
  private static final RareLog FAILED = new RareLog(LOG, Duration.ofSeconds(1));

  private RedisFailures() {}

  /** {@code future}, with a failure turned into a {@link GimException}. */
  public static <T> CompletableFuture<T> mapped(CompletableFuture<T> future) {
    CompletableFuture<T> result = new CompletableFuture<>();
    future.whenComplete(
        (value, failure) -> {
          if (failure == null) {
            result.complete(value);
          } else {
            result.completeExceptionally(toGim(failure));
          }
        });
    return result;
  }

  /**
   * The {@link GimException} for a failure: one already converted stays as it is; a full Lettuce
   * request queue is {@code BUSY}; anything else (Redis unreachable, a deadline passed, a cluster
   * that is down or moving slots, an error reply) is {@code STORE_UNAVAILABLE}.
   */
  public static GimException toGim(Throwable failure) {
    Throwable t = unwrap(failure);
    if (t instanceof GimException e) {
      return e;
    }
    String text = String.valueOf(t.getMessage());
    if (text.contains("Request queue size exceeded")) {
      return new GimException(GimErrorCode.BUSY, GimErrorCode.BUSY.defaultMessage(), t);
    }
    if (!text.startsWith("NOSCRIPT")) {
      logRarely(t);
    }
    return new GimException(
        GimErrorCode.STORE_UNAVAILABLE, GimErrorCode.STORE_UNAVAILABLE.defaultMessage(), t);
  }

  /** Whether the failure is Redis's answer that it does not know a script's digest. */
  public static boolean noScript(Throwable failure) {
    String text = String.valueOf(unwrap(failure).getMessage());
    return text.startsWith("NOSCRIPT");
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable t = failure;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static void logRarely(Throwable t) {
    if (t instanceof TimeoutException) {
      FAILED.warn("Redis call passed its deadline");
    } else {
      FAILED.warn("Redis call failed: {}", t.toString());
    }
  }
}
