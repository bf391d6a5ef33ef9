package io.gim.core.transport;

import java.time.Duration;

/**
 * One client connection, as a transport exposes it to the engine. Implemented by transports.
 *
 * <p>Thread-safe: every method may be called from any thread and none blocks.
 */
public interface Connection {

  /** A node-unique id of this connection. */
  long id();

  /** The peer's address, for logs. */
  String remoteAddress();

  /**
   * Queues one encoded {@code Packet} for the peer and flushes it. The transport frames it; the
   * array is shared between connections in a fan-out and must not be modified by anyone. Ignored
   * once the connection is closed.
   */
  void send(byte[] packet);

  /** Writes what is queued, then closes the connection; idempotent. */
  void close();

  /** Whether the connection is still open. */
  boolean isOpen();

  /** Runs {@code task} after {@code delay} on this connection's thread, unless it has closed. */
  void schedule(Duration delay, Runnable task);
}
