package io.gim.transport.netty;

import io.gim.core.ServerConfig;
import io.gim.core.transport.Connection;
import io.gim.core.transport.ConnectionHandler;
import io.gim.core.transport.Transport;
import io.gim.core.transport.TransportFactory;
import io.gim.transport.netty.internal.NettyTransport;
import java.util.function.Function;

/**
 * The Netty transport: TCP ({@code uvarint} length-prefixed frames) and WebSocket (one binary
 * message per packet), with idle, frame-size and slow-consumer limits from the {@link
 * ServerConfig}. {@code GimServer} finds it with {@link java.util.ServiceLoader}; having this
 * module on the classpath is enough.
 *
 * <p>Thread-safe; stateless.
 */
public final class NettyTransportFactory implements TransportFactory {

  /** Used by {@link java.util.ServiceLoader}. */
  public NettyTransportFactory() {}

  @Override
  public Transport create(ServerConfig config, Function<Connection, ConnectionHandler> acceptor) {
    return new NettyTransport(config, acceptor);
  }
}
