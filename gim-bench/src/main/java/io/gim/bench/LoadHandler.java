package io.gim.bench;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.gim.protocol.GroupMessagePush;
import io.gim.protocol.Message;
import io.gim.protocol.MessageCommand;
import io.gim.protocol.Packet;
import io.gim.protocol.PacketCommand;
import io.gim.protocol.Reply;
import io.gim.protocol.RoomMessagePush;
import io.gim.protocol.UserMessagePush;
import io.gim.transport.netty.internal.VarintFrameDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * One load connection to GIM (or the relay floor): signs in, optionally subscribes to a room, then
 * only counts frames (cheap, for fan-out), scans them for the send times of acks and pushes
 * (latencies, no object per frame) or decodes them (replies other than acks, e.g. sync pages). Runs
 * on its channel's event loop only, except {@link #inFlight()}, which may be read from elsewhere.
 */
final class LoadHandler extends ChannelInboundHandlerAdapter {
  /** How received frames are treated once set up. */
  enum Mode {
    /** Frame lengths only, in raw reads. */
    COUNT,
    /** Raw reads cut into frames in place; acks and pushes timed from their fields. */
    SCAN,
    /** Every frame decoded as a {@link Packet}; replies other than acks go to {@link #onReply}. */
    DECODE
  }

  final long userId;
  final CompletableFuture<Void> ready = new CompletableFuture<>();
  private final Counters counters;
  private final Mode mode;
  private final long roomId;
  private volatile Consumer<Packet> replies = p -> {};
  private volatile long sent;
  private volatile long acked;
  private volatile io.netty.channel.Channel channel;
  private LengthScanner scanner; // COUNT mode once set up: raw reads, no frame decoder
  private FrameSplitter splitter; // SCAN mode once set up: raw reads, no frame decoder
  private final ProtoFields fields = new ProtoFields();
  private final FrameSplitter.Sink onFrame = this::scanned;

  LoadHandler(long userId, long roomId, Mode mode, Counters counters) {
    this.userId = userId;
    this.roomId = roomId;
    this.mode = mode;
    this.counters = counters;
  }

  /** Where replies other than send acks go (sync pages); called on the event loop. */
  void onReply(Consumer<Packet> consumer) {
    this.replies = consumer;
  }

  /** Counts sends; called by one thread only (the publishing one, or this channel's loop). */
  void sent(int n) {
    sent += n;
  }

  io.netty.channel.Channel channel() {
    return channel;
  }

  long inFlight() {
    return sent - acked;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    channel = ctx.channel();
    ctx.writeAndFlush(Wire.frame(ctx.alloc(), Wire.signIn(userId)));
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf frame = (ByteBuf) msg;
    try {
      if (splitter != null) {
        splitter.split(frame, onFrame); // a raw read, any number of frames, maybe split
        return;
      }
      if (ready.isDone() && mode == Mode.SCAN) {
        scanned(frame, frame.readerIndex(), frame.readableBytes()); // decoder not yet gone
        return;
      }
      if (scanner != null) {
        long frames = scanner.scan(frame); // a raw read, any number of frames
        if (frames > 0) {
          counters.delivered.add(frames);
        }
        return;
      }
      if (ready.isDone() && mode == Mode.COUNT) {
        counters.delivered.increment(); // decoded before the decoder left the pipeline
        return;
      }
      Packet p = Packet.parseFrom(new ByteBufInputStream(frame));
      if (!ready.isDone()) {
        setUp(ctx, p);
      } else if (p.getCommand() == PacketCommand.PC_MESSAGE) {
        counters.deliveredAfter(Wire.stampOf(payloadOf(Message.parseFrom(p.getContent()))));
      } else if (p.getCommand() == PacketCommand.PC_SEND) {
        if (Reply.parseFrom(p.getContent()).getCode() != 0) {
          counters.errors.increment();
        }
        acked++;
        counters.ackedAfter(Long.parseLong(p.getRequestId()));
      } else {
        replies.accept(p);
      }
    } catch (IOException | RuntimeException e) {
      System.err.println("load connection of user " + userId + " failed: " + e);
      counters.errors.increment();
      ready.completeExceptionally(e);
    } finally {
      frame.release();
    }
  }

  private void setUp(ChannelHandlerContext ctx, Packet p) throws InvalidProtocolBufferException {
    Reply reply = Reply.parseFrom(p.getContent());
    if (reply.getCode() != 0) {
      throw new IllegalStateException(
          p.getCommand() + " refused: " + reply.getCode() + " " + reply.getMessage());
    }
    if (p.getCommand() == PacketCommand.PC_SIGN_IN && roomId != 0) {
      ctx.writeAndFlush(Wire.frame(ctx.alloc(), Wire.subscribe(roomId)));
    } else {
      if (mode != Mode.DECODE) {
        rawReads(ctx);
      }
      ready.complete(null);
    }
  }

  /**
   * From now on reads come here undecoded and only their frame lengths are scanned: the frame
   * decoder leaves the pipeline (after this frame), handing on what it had buffered, which starts
   * at a frame boundary.
   */
  private void rawReads(ChannelHandlerContext ctx) {
    ctx.channel()
        .eventLoop()
        .execute(
            () -> {
              if (mode == Mode.COUNT) {
                scanner = new LengthScanner();
              } else {
                splitter = new FrameSplitter();
              }
              ctx.pipeline().remove(VarintFrameDecoder.class);
            });
  }

  /**
   * One whole frame in SCAN mode: a push is timed from the send time in the first 8 bytes of its
   * payload ({@code Packet.content} = {@code Message}, its field 3 the push, whose field 3 is the
   * payload, for user, group and room pushes alike), an ack from its request id (the send time in
   * decimal); anything else is decoded and handed to {@link #onReply}.
   */
  private void scanned(ByteBuf buf, int offset, int length) {
    int end = offset + length;
    int command = (int) fields.varint(buf, offset, end, Packet.COMMAND_FIELD_NUMBER);
    if (command == PacketCommand.PC_MESSAGE_VALUE) {
      long stamp = 0;
      if (fields.bytes(buf, offset, end, Packet.CONTENT_FIELD_NUMBER)
          && fields.bytes(buf, fields.offset, fields.offset + fields.length, 3)
          && fields.bytes(buf, fields.offset, fields.offset + fields.length, 3)
          && fields.length >= 8) {
        stamp = buf.getLong(fields.offset);
      }
      counters.deliveredAfter(stamp);
    } else if (command == PacketCommand.PC_SEND_VALUE) {
      if (fields.bytes(buf, offset, end, Packet.CONTENT_FIELD_NUMBER)
          && fields.varint(buf, fields.offset, fields.offset + fields.length, 1) != 0) {
        counters.errors.increment(); // Reply.code
      }
      long stamp =
          fields.bytes(buf, offset, end, Packet.REQUEST_ID_FIELD_NUMBER)
              ? SendTemplate.stampOfRequestId(buf, fields.offset, fields.length)
              : 0;
      acked++;
      counters.ackedAfter(stamp);
    } else {
      try {
        replies.accept(Packet.parseFrom(ByteBufUtil.getBytes(buf, offset, length)));
      } catch (InvalidProtocolBufferException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private static ByteString payloadOf(Message m) throws InvalidProtocolBufferException {
    if (m.getCommand() == MessageCommand.MC_USER_MESSAGE) {
      return UserMessagePush.parseFrom(m.getContent()).getContent();
    } else if (m.getCommand() == MessageCommand.MC_GROUP_MESSAGE) {
      return GroupMessagePush.parseFrom(m.getContent()).getContent();
    } else if (m.getCommand() == MessageCommand.MC_ROOM_MESSAGE) {
      return RoomMessagePush.parseFrom(m.getContent()).getContent();
    }
    return ByteString.EMPTY;
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    ready.completeExceptionally(
        new IllegalStateException("connection of user " + userId + " closed"));
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    System.err.println("load connection of user " + userId + " failed: " + cause);
    counters.errors.increment();
    ready.completeExceptionally(cause);
    ctx.close();
  }
}
