package io.gim.core.internal;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.UnsafeByteOperations;
import com.google.protobuf.WireFormat;
import io.gim.protocol.Message;
import io.gim.protocol.Packet;
import io.gim.protocol.PacketCommand;
import io.gim.protocol.Reply;
import io.gim.spi.GimErrorCode;
import io.gim.spi.GimException;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the encoded packets the server sends. Stateless. */
final class Packets {
  private static final Logger log = LoggerFactory.getLogger(Packets.class);

  private Packets() {}

  /**
   * A reply to the request {@code request}, echoing its request_id and command. Encoded in one pass
   * straight into the packet's array (no intermediate {@code ByteString} of the reply).
   */
  static byte[] reply(Packet request, int code, String message, ByteString data) {
    Reply reply =
        Reply.newBuilder()
            .setCode(code)
            .setMessage(message == null ? "" : message)
            .setData(data == null ? ByteString.EMPTY : data)
            .build();
    String requestId = request.getRequestId();
    int command = request.getCommandValue();
    int size = CodedOutputStream.computeMessageSize(3, reply);
    if (!requestId.isEmpty()) {
      size += CodedOutputStream.computeStringSize(1, requestId);
    }
    if (command != 0) {
      size += CodedOutputStream.computeEnumSize(2, command);
    }
    byte[] out = new byte[size];
    CodedOutputStream cos = CodedOutputStream.newInstance(out);
    try {
      if (!requestId.isEmpty()) {
        cos.writeString(1, requestId);
      }
      if (command != 0) {
        cos.writeEnum(2, command);
      }
      cos.writeMessage(3, reply);
      cos.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException("encoding into an exactly sized array", e);
    }
    return out;
  }

  static byte[] ok(Packet request, ByteString data) {
    return reply(request, 0, "", data);
  }

  static byte[] error(Packet request, GimErrorCode code, String message) {
    return reply(request, code.code(), message, ByteString.EMPTY);
  }

  /**
   * The reply to a request whose work failed. Store and engine faults (busy, store unavailable,
   * internal) carry their fixed text only, whatever the exception said: a reply never carries SQL,
   * driver messages or host names. The details go to the log here, once.
   */
  static byte[] failure(Packet request, Throwable failure) {
    GimException e = GimException.from(failure);
    GimErrorCode code = e.errorCode();
    if (e.code() == 0 || code == GimErrorCode.INTERNAL) {
      log.error("{} failed", request.getCommand(), failure);
      return error(request, GimErrorCode.INTERNAL, GimErrorCode.INTERNAL.defaultMessage());
    }
    if (code == GimErrorCode.BUSY || code == GimErrorCode.STORE_UNAVAILABLE) {
      log.debug("{} failed: {}", request.getCommand(), failure.toString());
      return error(request, code, code.defaultMessage());
    }
    return reply(request, e.code(), e.getMessage(), ByteString.EMPTY);
  }

  /** A server push of one message. */
  static byte[] message(Message message) {
    return new InboxPush(message).packet();
  }

  /**
   * One message pushed to many inboxes, each with its own seq: the message (without seq) is encoded
   * once, and each receiver's packet is that encoding plus its seq field, copied into the packet's
   * array. Protobuf readers accept fields in any order, so the seq (field 4) may follow fields 5 to
   * 7. Immutable and thread-safe.
   */
  static final class InboxPush {
    private static final int PACKET_HEADER =
        CodedOutputStream.computeEnumSize(2, PacketCommand.PC_MESSAGE_VALUE);
    private final byte[] body;

    /** {@code template} without a seq (its seq field, if set, is kept as it is). */
    InboxPush(Message template) {
      this.body = template.toByteArray();
    }

    /** The packet for a receiver whose inbox holds the message at {@code seq}; 0 adds no seq. */
    byte[] packet(long seq) {
      int seqField = seq == 0 ? 0 : CodedOutputStream.computeUInt64Size(4, seq);
      int messageLength = body.length + seqField;
      int size =
          PACKET_HEADER
              + CodedOutputStream.computeTagSize(3)
              + CodedOutputStream.computeUInt32SizeNoTag(messageLength)
              + messageLength;
      byte[] out = new byte[size];
      CodedOutputStream cos = CodedOutputStream.newInstance(out);
      try {
        cos.writeEnum(2, PacketCommand.PC_MESSAGE_VALUE);
        cos.writeTag(3, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        cos.writeUInt32NoTag(messageLength);
        cos.writeRawBytes(body);
        if (seq != 0) {
          cos.writeUInt64(4, seq);
        }
        cos.checkNoSpaceLeft();
      } catch (IOException e) {
        throw new UncheckedIOException("encoding into an exactly sized array", e);
      }
      return out;
    }

    /** The packet with the template as it is. */
    byte[] packet() {
      return packet(0);
    }

    /**
     * The encoded {@code Message} alone (no packet around it) with {@code seq}, for another node.
     */
    byte[] message(long seq) {
      int seqField = seq == 0 ? 0 : CodedOutputStream.computeUInt64Size(4, seq);
      byte[] out = new byte[body.length + seqField];
      System.arraycopy(body, 0, out, 0, body.length);
      if (seq != 0) {
        CodedOutputStream cos = CodedOutputStream.newInstance(out, body.length, seqField);
        try {
          cos.writeUInt64(4, seq);
          cos.checkNoSpaceLeft();
        } catch (IOException e) {
          throw new UncheckedIOException("encoding into an exactly sized array", e);
        }
      }
      return out;
    }
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
