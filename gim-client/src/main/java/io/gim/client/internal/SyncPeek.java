package io.gim.client.internal;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import java.io.IOException;

/**
 * What a sync page says about the next one, read from its encoded {@code SyncReply} without
 * decoding the messages (their fields are skipped, only each one's seq is read): so the next page
 * can be asked for before this one is decoded and delivered. Immutable.
 *
 * @param hasMore the page's {@code has_more}
 * @param epoch the page's {@code epoch}
 * @param next where the cursor stands once the page is applied: {@code max(start_seq, last seq)}
 */
record SyncPeek(boolean hasMore, long epoch, long next) {

  private static final int MESSAGES = tag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED);
  private static final int HAS_MORE = tag(2, WireFormat.WIRETYPE_VARINT);
  private static final int EPOCH = tag(3, WireFormat.WIRETYPE_VARINT);
  private static final int START_SEQ = tag(4, WireFormat.WIRETYPE_VARINT);
  private static final int MESSAGE_SEQ = tag(4, WireFormat.WIRETYPE_VARINT);

  private static int tag(int field, int wireType) {
    return field << 3 | wireType;
  }

  /** Reads {@code syncReply}; fails as the full decode would on bytes that are not protobuf. */
  static SyncPeek of(ByteString syncReply) throws InvalidProtocolBufferException {
    try {
      CodedInputStream in = syncReply.newCodedInput();
      boolean hasMore = false;
      long epoch = 0;
      long start = 0;
      long last = 0;
      for (int tag; (tag = in.readTag()) != 0; ) {
        if (tag == MESSAGES) {
          int limit = in.pushLimit(in.readRawVarint32());
          for (int field; (field = in.readTag()) != 0; ) {
            if (field == MESSAGE_SEQ) {
              last = Math.max(last, in.readUInt64());
            } else {
              in.skipField(field);
            }
          }
          in.popLimit(limit);
        } else if (tag == HAS_MORE) {
          hasMore = in.readBool();
        } else if (tag == EPOCH) {
          epoch = in.readUInt64();
        } else if (tag == START_SEQ) {
          start = in.readUInt64();
        } else {
          in.skipField(tag);
        }
      }
      return new SyncPeek(hasMore, epoch, Math.max(start, last));
    } catch (InvalidProtocolBufferException e) {
      throw e;
    } catch (IOException e) {
      throw new InvalidProtocolBufferException(e);
    }
  }
}
