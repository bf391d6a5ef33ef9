package io.gim.core.transport;

/**
 * The engine's side of one connection. Implemented by the engine, called by transports.
 *
 * <p>A transport calls each handler from one thread at a time, in the order frames arrived;
 * implementations must not block.
 */
public interface ConnectionHandler {

  /** One complete frame: the bytes of one {@code Packet}, owned by the handler from now on. */
  void onFrame(byte[] packet);

  /** The connection has closed, for whatever reason; called once. */
  void onClosed();
}
