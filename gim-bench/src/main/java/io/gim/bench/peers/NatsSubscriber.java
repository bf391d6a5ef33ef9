package io.gim.bench.peers;

import io.gim.bench.Counters;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A minimal NATS subscriber: subscribes, answers PINGs and counts {@code MSG}s without copying
 * their payloads. Ready once the PONG after SUB arrives (the server has the subscription then). One
 * per channel; runs on its event loop.
 */
final class NatsSubscriber extends ByteToMessageDecoder {
  final CompletableFuture<Void> ready = new CompletableFuture<>();
  private final Counters counters;
  private int skip;

  NatsSubscriber(Counters counters) {
    this.counters = counters;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    String hello =
        "CONNECT {\"verbose\":false,\"pedantic\":false,\"name\":\"gim-bench\"}\r\nSUB "
            + PeerRoom.NATS_SUBJECT
            + " 1\r\nPING\r\n";
    ctx.writeAndFlush(Unpooled.copiedBuffer(hello, StandardCharsets.US_ASCII));
    super.channelActive(ctx);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    while (in.isReadable()) {
      if (skip > 0) {
        int n = Math.min(skip, in.readableBytes());
        in.skipBytes(n);
        skip -= n;
        continue;
      }
      int eol = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
      if (eol < 0) {
        return;
      }
      int start = in.readerIndex();
      byte first = in.getByte(start);
      if (first == 'M') { // MSG <subject> <sid> [reply-to] <#bytes>\r\n
        int size = 0;
        int i = eol - 2;
        for (int mult = 1; in.getByte(i) != ' '; i--, mult *= 10) {
          size += (in.getByte(i) - '0') * mult;
        }
        skip = size + 2;
        counters.delivered.increment();
      } else if (first == 'P' && in.getByte(start + 1) == 'I') {
        ctx.writeAndFlush(Unpooled.copiedBuffer("PONG\r\n", StandardCharsets.US_ASCII));
      } else if (first == 'P') {
        ready.complete(null);
      } else if (first == '-') {
        ready.completeExceptionally(
            new IllegalStateException(in.toString(start, eol - start, StandardCharsets.US_ASCII)));
      }
      in.readerIndex(eol + 1);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    ready.completeExceptionally(new IllegalStateException("NATS connection closed"));
    super.channelInactive(ctx);
  }
}
