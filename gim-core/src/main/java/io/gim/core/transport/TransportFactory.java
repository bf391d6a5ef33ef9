package io.gim.core.transport;

import io.gim.core.ServerConfig;
import java.util.function.Function;

/**
 * Creates the {@link Transport} of a server. Found with {@link java.util.ServiceLoader} when the
 * builder is not given one; gim-transport-netty provides one.
 *
 * <p>Implementations must be thread-safe.
 */
public interface TransportFactory {

  /**
   * Creates, without starting, the transport for {@code config.listens()}. For every accepted
   * connection the transport calls {@code acceptor} once, on the connection's thread, and then
   * feeds the returned handler.
   */
  Transport create(ServerConfig config, Function<Connection, ConnectionHandler> acceptor);
}
