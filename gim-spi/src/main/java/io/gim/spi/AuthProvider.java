package io.gim.spi;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Decides whether a device may sign in. The only thing a host must supply.
 *
 * <p>Implementations must be thread-safe and must not block: the engine calls them from network
 * threads. Wrap blocking code with {@link #blocking(BlockingAuthProvider, Executor)}.
 *
 * <pre>{@code
 * AuthProvider auth = (userId, deviceId, token) ->
 *     tokens.verify(userId, deviceId, token)
 *         .thenApply(ok -> ok ? AuthResult.allowed() : AuthResult.denied("bad token"));
 * }</pre>
 */
@FunctionalInterface
public interface AuthProvider {

  /**
   * Checks the credentials of one sign-in attempt. A failed stage counts as a refusal with the
   * failure's {@link GimException#code()} (or 10304 for other exceptions).
   */
  CompletionStage<AuthResult> authenticate(long userId, long deviceId, String token);

  /** A provider that runs a blocking check on {@code executor}, which should be bounded. */
  static AuthProvider blocking(BlockingAuthProvider check, Executor executor) {
    Objects.requireNonNull(check, "check");
    Objects.requireNonNull(executor, "executor");
    return (userId, deviceId, token) ->
        CompletableFuture.supplyAsync(() -> check.authenticate(userId, deviceId, token), executor);
  }

  /** A check that may block, for {@link #blocking(BlockingAuthProvider, Executor)}. */
  @FunctionalInterface
  interface BlockingAuthProvider {
    /** Checks the credentials; may block. */
    AuthResult authenticate(long userId, long deviceId, String token);
  }
}
