package io.gim.transport.netty.internal;

import io.gim.core.ListenSpec;
import io.gim.core.ServerConfig;
import io.gim.core.transport.Connection;
import io.gim.core.transport.ConnectionHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The handlers of an accepted channel, TCP or WebSocket, up to the engine's session: what {@link
 * NettyTransport} installs on every connection (and what tests and fuzz targets install on an
 * embedded channel). Thread-safe.
 */
public final class ServerPipeline {
  private final ServerConfig config;
  private final Function<Connection, ConnectionHandler> acceptor;
  private final AtomicLong connectionIds = new AtomicLong();
  private final Outboxes outboxes;

  public ServerPipeline(ServerConfig config, Function<Connection, ConnectionHandler> acceptor) {
    this.config = config;
    this.acceptor = acceptor;
    this.outboxes = new Outboxes(config.maxPendingOutboundBytes());
  }

  /** Adds the handlers of a channel accepted by the listener {@code spec}. */
  public void init(ChannelPipeline p, ListenSpec spec) {
    boolean websocket = spec.kind() == ListenSpec.Kind.WEBSOCKET;
    p.addLast(
        "idle",
        new IdleStateHandler(config.readIdleTimeout().toNanos(), 0, 0, TimeUnit.NANOSECONDS));
    if (websocket) {
      addWebSocket(p, spec.path());
    } else {
      p.addLast("frameDecoder", new VarintFrameDecoder(config.maxFrameBytes()));
    }
    p.addLast(
        "slowConsumer",
        new SlowConsumerGuard(config.maxPendingOutboundBytes(), config.unwritableTimeout()));
    p.addLast("session", new SessionBridge(acceptor, connectionIds, outboxes, websocket));
  }

  private void addWebSocket(ChannelPipeline p, String path) {
    p.addLast("http", new HttpServerCodec());
    p.addLast("httpAggregator", new HttpObjectAggregator(8192));
    WebSocketServerProtocolConfig ws =
        WebSocketServerProtocolConfig.newBuilder()
            .websocketPath(path)
            .checkStartsWith(false)
            .handleCloseFrames(true)
            .handshakeTimeoutMillis(config.signInTimeout().toMillis())
            .decoderConfig(
                WebSocketDecoderConfig.newBuilder()
                    .maxFramePayloadLength(config.maxFrameBytes())
                    .allowExtensions(false)
                    .build())
            .build();
    p.addLast("websocket", new WebSocketServerProtocolHandler(ws));
    p.addLast("wsAggregator", new WebSocketFrameAggregator(config.maxFrameBytes()));
    p.addLast("wsFrames", WebSocketFrames.INSTANCE);
  }
}
