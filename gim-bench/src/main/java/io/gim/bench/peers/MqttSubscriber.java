package io.gim.bench.peers;

import io.gim.bench.Counters;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A minimal MQTT 3.1.1 subscriber (QoS 0, clean session, no keep-alive) that counts PUBLISH packets
 * without reading them. Ready on SUBACK. One per channel; runs on its event loop.
 */
final class MqttSubscriber extends ByteToMessageDecoder {
  final CompletableFuture<Void> ready = new CompletableFuture<>();
  private final String clientId;
  private final Counters counters;

  MqttSubscriber(String clientId, Counters counters) {
    this.clientId = clientId;
    this.counters = counters;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
    byte[] topic = PeerRoom.MQTT_TOPIC.getBytes(StandardCharsets.UTF_8);
    ByteBuf b = ctx.alloc().buffer();
    b.writeByte(0x10).writeByte(12 + id.length); // CONNECT
    b.writeShort(4)
        .writeBytes("MQTT".getBytes(StandardCharsets.US_ASCII))
        .writeByte(4)
        .writeByte(0x02)
        .writeShort(0);
    b.writeShort(id.length).writeBytes(id);
    b.writeByte(0x82).writeByte(5 + topic.length); // SUBSCRIBE, packet id 1, QoS 0
    b.writeShort(1).writeShort(topic.length).writeBytes(topic).writeByte(0);
    ctx.writeAndFlush(b);
    super.channelActive(ctx);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    while (in.readableBytes() >= 2) {
      int start = in.readerIndex();
      int type = (in.readUnsignedByte() >> 4);
      int length = 0;
      int shift = 0;
      int b;
      do {
        if (!in.isReadable()) {
          in.readerIndex(start);
          return;
        }
        b = in.readUnsignedByte();
        length |= (b & 0x7F) << shift;
        shift += 7;
      } while ((b & 0x80) != 0);
      if (in.readableBytes() < length) {
        in.readerIndex(start);
        return;
      }
      if (type == 3) {
        counters.delivered.increment();
      } else if (type == 2 && in.getByte(in.readerIndex() + 1) != 0) {
        ready.completeExceptionally(
            new IllegalStateException("CONNACK refused " + in.getByte(in.readerIndex() + 1)));
      } else if (type == 9) {
        ready.complete(null);
      }
      in.skipBytes(length);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    ready.completeExceptionally(new IllegalStateException("MQTT connection closed"));
    super.channelInactive(ctx);
  }
}
