package io.gim.client.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.ssl.SslContext;
import java.util.function.Supplier;

/** Builds the TCP or WebSocket pipeline of one client connection to one server. Thread-safe. */
final class ClientChannelInitializer extends ChannelInitializer<Channel> {

  /** Enough for the HTTP upgrade response; WebSocket data never goes through it. */
  private static final int MAX_HANDSHAKE_RESPONSE_BYTES = 16 * 1024;

  private final ClientConfig config;
  private final Server server;
  private final SslContext ssl;
  private final FrameEncoder frameEncoder;
  private final Supplier<ChannelHandler> clientHandler;

  ClientChannelInitializer(
      ClientConfig config, Server server, SslContext ssl, Supplier<ChannelHandler> clientHandler) {
    this.config = config;
    this.server = server;
    this.ssl = ssl;
    this.frameEncoder = new FrameEncoder(config.maxFrameBytes());
    this.clientHandler = clientHandler;
  }

  @Override
  protected void initChannel(Channel ch) {
    ChannelPipeline p = ch.pipeline();
    if (server.webSocketUri() != null) {
      if (ssl != null) {
        p.addLast(
            ssl.newHandler(
                ch.alloc(), server.address().getHostString(), server.address().getPort()));
      }
      // Netty's 64 KiB frame limit is too small for the protocol's 1 MiB default.
      WebSocketClientHandshaker handshaker =
          WebSocketClientHandshakerFactory.newHandshaker(
              server.webSocketUri(),
              WebSocketVersion.V13,
              null,
              false,
              EmptyHttpHeaders.INSTANCE,
              config.maxFrameBytes());
      p.addLast(new HttpClientCodec());
      p.addLast(new HttpObjectAggregator(MAX_HANDSHAKE_RESPONSE_BYTES));
      p.addLast(new WebSocketClientProtocolHandler(handshaker));
      p.addLast(new WebSocketFrameAggregator(config.maxFrameBytes()));
      p.addLast(new WebSocketPacketCodec(config.maxFrameBytes()));
    } else {
      p.addLast(new FrameDecoder(config.maxFrameBytes()));
      p.addLast(frameEncoder);
    }
    p.addLast(clientHandler.get());
  }
}
