package io.gim.bench;

import com.google.protobuf.ByteString;
import io.gim.protocol.Framing;
import io.gim.protocol.Packet;
import io.gim.protocol.PacketCommand;
import io.gim.protocol.SendRequest;
import io.gim.protocol.SignInRequest;
import io.gim.protocol.SubscribeRoomRequest;
import io.gim.protocol.SyncRequest;
import io.gim.transport.netty.internal.TcpFraming;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import java.nio.ByteBuffer;

/** GIM's TCP wire format for the load generator and the relay floor. Stateless, thread-safe. */
public final class Wire {
  /** The load clients and the relay trust their peer, as Netty's protobuf decoder did: no limit. */
  static final int MAX_FRAME_BYTES = Integer.MAX_VALUE;

  private Wire() {}

  /**
   * Writes {@code uvarint(len) ++ packet} ({@link TcpFraming}) into a new buffer from {@code
   * alloc}.
   */
  static ByteBuf frame(ByteBufAllocator alloc, Packet packet) {
    int size = packet.getSerializedSize();
    ByteBuf buf = TcpFraming.writePrefix(alloc.buffer(Framing.prefixSize(size) + size), size);
    try {
      packet.writeTo(new ByteBufOutputStream(buf));
      return buf;
    } catch (java.io.IOException | RuntimeException e) {
      buf.release();
      throw new IllegalStateException(e);
    }
  }

  static Packet signIn(long userId) {
    SignInRequest r =
        SignInRequest.newBuilder().setUserId(userId).setDeviceId(userId).setToken("bench").build();
    return request("in", PacketCommand.PC_SIGN_IN, r.toByteString());
  }

  static Packet subscribe(long roomId) {
    return request(
        "sub",
        PacketCommand.PC_SUBSCRIBE_ROOM,
        SubscribeRoomRequest.newBuilder().setRoomId(roomId).build().toByteString());
  }

  static Packet sync(long afterSeq, int limit) {
    return request(
        "sync",
        PacketCommand.PC_SYNC,
        SyncRequest.newBuilder().setSeq(afterSeq).setLimit(limit).build().toByteString());
  }

  /** A send whose request id and payload carry the send time, for ack and delivery latency. */
  static Packet send(Kind kind, long id, int payloadBytes) {
    long now = System.nanoTime();
    SendRequest.Builder r =
        SendRequest.newBuilder().setContent(ByteString.copyFrom(stamped(now, payloadBytes)));
    switch (kind) {
      case USER -> r.setToUserId(id);
      case GROUP -> r.setGroupId(id);
      case ROOM -> r.setRoomId(id);
    }
    return request(Long.toString(now), PacketCommand.PC_SEND, r.build().toByteString());
  }

  /** A payload of {@code bytes} (at least 8) starting with {@code nanoTime}. */
  public static byte[] stamped(long nanoTime, int bytes) {
    byte[] payload = new byte[Math.max(8, bytes)];
    ByteBuffer.wrap(payload).putLong(nanoTime);
    return payload;
  }

  static long stampOf(ByteString payload) {
    return payload.size() < 8 ? 0 : payload.substring(0, 8).asReadOnlyByteBuffer().getLong();
  }

  private static Packet request(String id, PacketCommand command, ByteString content) {
    return Packet.newBuilder().setRequestId(id).setCommand(command).setContent(content).build();
  }

  /** What a send is addressed to. */
  enum Kind {
    USER,
    GROUP,
    ROOM
  }
}
