package io.gim.core.transport;

import io.gim.core.ListenSpec;
import java.util.concurrent.CompletableFuture;

/**
 * The listening sockets of a server, created by a {@link TransportFactory}.
 *
 * <p>Thread-safe.
 */
public interface Transport {

  /** Binds every listener; completes when all are bound, or fails with the first error. */
  CompletableFuture<Void> start();

  /** The bound port of the first listener of {@code kind}; valid after {@link #start()}. */
  int activePort(ListenSpec.Kind kind);

  /**
   * Stops accepting, closes every connection (each handler gets {@code onClosed}) and releases
   * every thread the transport created; idempotent.
   */
  CompletableFuture<Void> close();
}
