package io.gim.transport.netty.internal;

import io.gim.core.ListenSpec;
import io.gim.core.ServerConfig;
import io.gim.core.transport.Connection;
import io.gim.core.transport.ConnectionHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.util.concurrent.ConcurrentHashMap;
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
  private final ConcurrentHashMap<EventLoop, LoopConnections> loops = new ConcurrentHashMap<>();
  private final long unwritableTimeoutNanos;

  public ServerPipeline(ServerConfig config, Function<Connection, ConnectionHandler> acceptor) {
    this.config = config;
    this.acceptor = acceptor;
    this.outboxes = new Outboxes(config.maxPendingOutboundBytes());
    this.unwritableTimeoutNanos = config.unwritableTimeout().toNanos();
  }

  /**
   * Adds the handlers of a channel accepted by the listener {@code spec}: on TCP a single {@link
   * SessionBridge}, which frames, guards against slow readers and hands the channel to the engine.
   */
  public void init(ChannelPipeline p, ListenSpec spec) {
    boolean websocket = spec.kind() == ListenSpec.Kind.WEBSOCKET;
    if (websocket) {
      addWebSocket(p, spec.path());
    }
    p.addLast("session", new SessionBridge(this, !websocket));
  }

  // What every SessionBridge of this pipeline shares (fields it need not hold itself).

  Function<Connection, ConnectionHandler> acceptor() {
    return acceptor;
  }

  long nextConnectionId() {
    return connectionIds.incrementAndGet();
  }

  Outboxes outboxes() {
    return outboxes;
  }

  long maxPendingOutboundBytes() {
    return config.maxPendingOutboundBytes();
  }

  long unwritableTimeoutNanos() {
    return unwritableTimeoutNanos;
  }

  /** The connections of {@code loop} and their idle timer, created on first use. */
  LoopConnections loopConnections(EventLoop loop) {
    LoopConnections c = loops.get(loop);
    return c != null
        ? c
        : loops.computeIfAbsent(
            loop,
            l ->
                new LoopConnections(l, config.readIdleTimeout().toNanos(), config.maxFrameBytes()));
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
