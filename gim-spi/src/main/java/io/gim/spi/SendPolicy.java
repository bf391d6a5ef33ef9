package io.gim.spi;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The host's say over a send that a client makes with {@code PC_SEND}: allow it, refuse it with a
 * code that reaches the client, or rewrite its content (e.g. filter words). Host API pushes do not
 * pass through it.
 *
 * <p>Implementations must be thread-safe and must not block.
 */
@FunctionalInterface
public interface SendPolicy {

  /** Allows every send. The default. */
  SendPolicy ALLOW_ALL = attempt -> CompletableFuture.completedFuture(SendDecision.allow());

  /** Decides one send attempt. */
  CompletionStage<SendDecision> check(SendAttempt attempt);
}
