package io.gim.core.transport;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;

/**
 * One client connection, as a transport exposes it to the engine. Implemented by transports.
 *
 * <p>Thread-safe: every method may be called from any thread and none blocks. The connection has
 * one thread of its own (its {@link #executor()}); the transport calls the connection's {@link
 * ConnectionHandler} only on it, so state that only that thread touches needs no locks.
 */
public interface Connection {

  /** A node-unique id of this connection. */
  long id();

  /** The transport's name for metrics and logs, e.g. {@code tcp} or {@code websocket}. */
  default String transport() {
    return "unknown";
  }

  /** The peer's address, for logs. */
  String remoteAddress();

  /**
   * Queues one encoded {@code Packet} for the peer and flushes it. The transport frames it; the
   * array is shared between connections in a fan-out and must not be modified by anyone. Ignored
   * once the connection is closed.
   */
  void send(byte[] packet);

  /**
   * Like {@link #send}, but ahead of ordinary packets that are still queued for this peer (GIM's
   * room priority lane). Packets of one lane keep their order.
   */
  void sendPriority(byte[] packet);

  /** Writes what is queued, then closes the connection; idempotent. */
  void close();

  /** Whether the connection is still open. */
  boolean isOpen();

  /**
   * The connection's own thread: tasks run one at a time, in submission order, on the thread that
   * calls the handler. Work finishing on other threads hops back here before touching the
   * connection's state. Tasks submitted after the connection closed may still run.
   */
  Executor executor();

  /** Stops reading from the peer until {@link #resumeReads()}: backpressure on a fast writer. */
  void pauseReads();

  /** Reads from the peer again after {@link #pauseReads()}; idempotent. */
  void resumeReads();

  /**
   * Runs {@code task} after {@code delay} on this connection's thread, unless it has closed.
   * Cancelling the returned future drops the task at once (an engine with thousands of idle
   * connections should not keep timers it no longer needs).
   */
  Future<?> schedule(Duration delay, Runnable task);
}
