package io.gim.core.internal;

import com.google.protobuf.CodedOutputStream;
import io.gim.protocol.Packet;
import io.gim.spi.store.StoredMessage;
import io.gim.spi.store.SyncPage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Encodes a PC_SYNC reply packet ({@code Packet{request_id, command, Reply{data = SyncReply}}})
 * straight from the store's page into one exactly sized array: no {@code Message} object, builder
 * or intermediate {@code ByteString} per message, and one copy of each content instead of three.
 * The bytes are what the generated classes would write for the same values (fields in number order,
 * proto3 defaults omitted), so any protobuf decoder reads them. Stateless.
 */
final class SyncReplies {
  private SyncReplies() {}

  /**
   * How many of the page's first messages fit a reply of about {@code budgetBytes}: all of them, or
   * as many as fit but at least one (the frame budget of {@link Inbox#toReply}).
   */
  static int fitting(List<StoredMessage> messages, int budgetBytes) {
    int size = 0;
    for (int i = 0; i < messages.size(); i++) {
      size += delimited(messageSize(messages.get(i))) + 1;
      if (size > budgetBytes && i > 0) {
        return i;
      }
    }
    return messages.size();
  }

  /** The reply packet to {@code request}: the page's first {@code count} messages. */
  static byte[] encode(Packet request, SyncPage page, int count, long startSeq) {
    List<StoredMessage> messages = page.messages();
    boolean hasMore = count < messages.size() || page.hasMore();
    int[] sizes = new int[count];
    int syncReply = 0;
    for (int i = 0; i < count; i++) {
      sizes[i] = messageSize(messages.get(i));
      syncReply += 1 + delimited(sizes[i]);
    }
    syncReply += hasMore ? CodedOutputStream.computeBoolSize(2, true) : 0;
    syncReply += page.epoch() != 0 ? CodedOutputStream.computeUInt64Size(3, page.epoch()) : 0;
    syncReply += startSeq != 0 ? CodedOutputStream.computeUInt64Size(4, startSeq) : 0;
    int reply = syncReply == 0 ? 0 : 1 + delimited(syncReply);
    String requestId = request.getRequestId();
    int command = request.getCommandValue();
    int packet = reply == 0 ? 0 : 1 + delimited(reply);
    packet += requestId.isEmpty() ? 0 : CodedOutputStream.computeStringSize(1, requestId);
    packet += command == 0 ? 0 : CodedOutputStream.computeEnumSize(2, command);
    byte[] out = new byte[packet];
    CodedOutputStream cos = CodedOutputStream.newInstance(out);
    try {
      if (!requestId.isEmpty()) {
        cos.writeString(1, requestId);
      }
      if (command != 0) {
        cos.writeEnum(2, command);
      }
      if (reply != 0) {
        cos.writeTag(3, 2); // Packet.content: the Reply, whose code 0 and message "" are omitted
        cos.writeUInt32NoTag(reply);
        cos.writeTag(3, 2); // Reply.data: the SyncReply
        cos.writeUInt32NoTag(syncReply);
        for (int i = 0; i < count; i++) {
          cos.writeTag(1, 2);
          cos.writeUInt32NoTag(sizes[i]);
          writeMessage(cos, messages.get(i));
        }
        if (hasMore) {
          cos.writeBool(2, true);
        }
        if (page.epoch() != 0) {
          cos.writeUInt64(3, page.epoch());
        }
        if (startSeq != 0) {
          cos.writeUInt64(4, startSeq);
        }
      }
      cos.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException("encoding into an exactly sized array", e);
    }
    return out;
  }

  /** A length prefix and the {@code length} bytes it announces. */
  private static int delimited(int length) {
    return CodedOutputStream.computeUInt32SizeNoTag(length) + length;
  }

  /** The size of {@link Inbox#toMessage}'s encoding of {@code m}, without building it. */
  private static int messageSize(StoredMessage m) {
    int size = 0;
    if (m.command() != 0) {
      size += CodedOutputStream.computeEnumSize(2, m.command());
    }
    if (m.content().length != 0) {
      size += CodedOutputStream.computeByteArraySize(3, m.content());
    }
    if (m.seq() != 0) {
      size += CodedOutputStream.computeUInt64Size(4, m.seq());
    }
    long createdAt = m.createdAtMillis() / 1000;
    if (createdAt != 0) {
      size += CodedOutputStream.computeInt64Size(5, createdAt);
    }
    if (m.messageId() != 0) {
      size += CodedOutputStream.computeUInt64Size(7, m.messageId());
    }
    return size;
  }

  private static void writeMessage(CodedOutputStream cos, StoredMessage m) throws IOException {
    if (m.command() != 0) {
      cos.writeEnum(2, m.command());
    }
    if (m.content().length != 0) {
      cos.writeByteArray(3, m.content());
    }
    if (m.seq() != 0) {
      cos.writeUInt64(4, m.seq());
    }
    long createdAt = m.createdAtMillis() / 1000;
    if (createdAt != 0) {
      cos.writeInt64(5, createdAt);
    }
    if (m.messageId() != 0) {
      cos.writeUInt64(7, m.messageId());
    }
  }
}
