package io.gim.core.transport;

/**
 * The engine's side of one connection. Implemented by the engine, called by transports.
 *
 * <p>A transport calls each handler only on the connection's {@link Connection#executor()}, in the
 * order frames arrived; implementations must not block. The handler is created when the transport
 * accepts the connection (for WebSocket: before the HTTP upgrade), so that its sign-in timeout runs
 * from the accept on every transport.
 */
public interface ConnectionHandler {

  /** One complete frame: the bytes of one {@code Packet}, owned by the handler from now on. */
  void onFrame(byte[] packet);

  /**
   * The transport is closing the connection because its peer does not read its pushes (see
   * docs/protocol.md, "Slow consumers"); {@link #onClosed()} follows. The default does nothing.
   */
  default void onSlowConsumer() {}

  /** The connection has closed, for whatever reason; called once. */
  void onClosed();
}
