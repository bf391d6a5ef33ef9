package io.gim.core.internal;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.gim.protocol.Message;
import io.gim.protocol.Packet;
import io.gim.protocol.PacketCommand;
import io.gim.protocol.Reply;
import io.gim.spi.GimErrorCode;

/** Builds the encoded packets the server sends. Stateless. */
final class Packets {
  private Packets() {}

  /** A reply to the request {@code request}, echoing its request_id and command. */
  static byte[] reply(Packet request, int code, String message, ByteString data) {
    Reply reply =
        Reply.newBuilder()
            .setCode(code)
            .setMessage(message == null ? "" : message)
            .setData(data == null ? ByteString.EMPTY : data)
            .build();
    return Packet.newBuilder()
        .setRequestId(request.getRequestId())
        .setCommandValue(request.getCommandValue())
        .setContent(reply.toByteString())
        .build()
        .toByteArray();
  }

  static byte[] ok(Packet request, ByteString data) {
    return reply(request, 0, "", data);
  }

  static byte[] error(Packet request, GimErrorCode code, String message) {
    return reply(request, code.code(), message, ByteString.EMPTY);
  }

  /** A server push of one message. */
  static byte[] message(Message message) {
    return Packet.newBuilder()
        .setCommand(PacketCommand.PC_MESSAGE)
        .setContent(message.toByteString())
        .build()
        .toByteArray();
  }

  /** A server push of one already encoded {@code Message}, without decoding it again. */
  static byte[] message(byte[] encodedMessage) {
    return Packet.newBuilder()
        .setCommand(PacketCommand.PC_MESSAGE)
        .setContent(UnsafeByteOperations.unsafeWrap(encodedMessage))
        .build()
        .toByteArray();
  }

  /** The packet telling a connection why it is being closed. */
  static byte[] kickOut(int code, String message) {
    Reply reply = Reply.newBuilder().setCode(code).setMessage(message).build();
    return Packet.newBuilder()
        .setCommand(PacketCommand.PC_KICK_OUT)
        .setContent(reply.toByteString())
        .build()
        .toByteArray();
  }
}
