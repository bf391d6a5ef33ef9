package io.gim.bench;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.gim.protocol.Framing;
import io.gim.protocol.Packet;
import io.gim.protocol.PacketCommand;
import io.gim.protocol.SendRequest;
import io.netty.buffer.ByteBuf;

/**
 * One framed {@code PC_SEND} to a fixed target, encoded once; each send copies it and patches the
 * send time in place into two spots: the request id (19 zero-padded decimal digits, echoed in the
 * ack) and the first 8 bytes of the payload (carried to the receiver). No protobuf object per send.
 * Immutable and thread-safe.
 */
final class SendTemplate {
  static final int ID_DIGITS = 19; // Long.MAX_VALUE has 19 decimal digits

  private final byte[] frame;
  private final int idOffset;
  private final int stampOffset;

  SendTemplate(Wire.Kind kind, long targetId, int payloadBytes) {
    int payload = Math.max(8, payloadBytes);
    SendRequest.Builder r =
        SendRequest.newBuilder().setContent(ByteString.copyFrom(new byte[payload]));
    switch (kind) {
      case USER -> r.setToUserId(targetId);
      case GROUP -> r.setGroupId(targetId);
      case ROOM -> r.setRoomId(targetId);
    }
    Packet p =
        Packet.newBuilder()
            .setRequestId("0".repeat(ID_DIGITS))
            .setCommand(PacketCommand.PC_SEND)
            .setContent(r.build().toByteString())
            .build();
    frame = Framing.frame(p);
    int prefix = Framing.prefixSize(p.getSerializedSize());
    // Fields go out in number order: request_id (tag, length, digits) comes first, and the
    // payload, the last field of the last field, ends the frame.
    idOffset = prefix + 2;
    stampOffset = frame.length - payload;
    check(kind, targetId);
  }

  /** Bytes of one framed send. */
  int frameBytes() {
    return frame.length;
  }

  /** Appends one framed send stamped with {@code nanoTime} (not negative) to {@code out}. */
  void writeTo(ByteBuf out, long nanoTime) {
    int start = out.writerIndex();
    out.writeBytes(frame);
    long v = nanoTime;
    for (int i = idOffset + ID_DIGITS - 1; i >= idOffset; i--) {
      out.setByte(start + i, (int) ('0' + v % 10));
      v /= 10;
    }
    out.setLong(start + stampOffset, nanoTime);
  }

  /** The request id of a send stamped with {@code nanoTime}, as {@link #writeTo} writes it. */
  static long stampOfRequestId(ByteBuf buf, int offset, int length) {
    long v = 0;
    for (int i = offset; i < offset + length; i++) {
      int d = buf.getByte(i) - '0';
      if (d < 0 || d > 9) {
        return 0; // not one of ours: no latency
      }
      v = v * 10 + d;
    }
    return v;
  }

  /** Decodes a patched copy the ordinary way: the offsets above must hold for this protobuf. */
  private void check(Wire.Kind kind, long targetId) {
    long stamp = 1_234_567_890_123_456_789L;
    ByteBuf b = io.netty.buffer.Unpooled.buffer(frame.length);
    writeTo(b, stamp);
    try {
      int len = frame.length - idOffset + 2;
      Packet p = Packet.parseFrom(b.nioBuffer(frame.length - len, len)); // after the prefix
      SendRequest r = SendRequest.parseFrom(p.getContent());
      long target =
          switch (kind) {
            case USER -> r.getToUserId();
            case GROUP -> r.getGroupId();
            case ROOM -> r.getRoomId();
          };
      if (!p.getRequestId().equals(Long.toString(stamp))
          || Wire.stampOf(r.getContent()) != stamp
          || target != targetId) {
        throw new IllegalStateException("send template does not decode as written: " + p);
      }
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }
}
