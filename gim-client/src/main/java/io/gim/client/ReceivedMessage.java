package io.gim.client;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Parser;
import io.gim.protocol.GroupMessagePush;
import io.gim.protocol.MessageCommand;
import io.gim.protocol.RoomMessagePush;
import io.gim.protocol.UserMessagePush;
import java.util.Arrays;
import java.util.Optional;

/**
 * One message delivered to a {@link MessageListener}. Immutable and thread-safe as long as nobody
 * writes into {@link #content()}, which is not copied.
 *
 * @param command the message command: 1 user, 2 group, 3 room, or a host-defined value (110, 120,
 *     ...)
 * @param content the payload; for commands 1, 2, 3 an encoded {@code UserMessagePush}, {@code
 *     GroupMessagePush} or {@code RoomMessagePush}, see the decoding helpers
 * @param seq the user's inbox seq; 0 for room and broadcast messages
 * @param createdAt when the server accepted the message, in Unix seconds
 * @param roomId the room of a room message, else 0
 * @param messageId the stored message's id, 0 if it has none
 */
public record ReceivedMessage(
    int command, byte[] content, long seq, long createdAt, long roomId, long messageId) {

  /** Whether this is an inbox message (it has a seq), as opposed to a room or broadcast one. */
  public boolean inbox() {
    return seq != 0;
  }

  /** The decoded payload of a user message (command 1); empty for other commands. */
  public Optional<UserMessagePush> userMessage() {
    return decode(MessageCommand.MC_USER_MESSAGE_VALUE, UserMessagePush.parser());
  }

  /** The decoded payload of a group message (command 2); empty for other commands. */
  public Optional<GroupMessagePush> groupMessage() {
    return decode(MessageCommand.MC_GROUP_MESSAGE_VALUE, GroupMessagePush.parser());
  }

  /** The decoded payload of a room message (command 3); empty for other commands. */
  public Optional<RoomMessagePush> roomMessage() {
    return decode(MessageCommand.MC_ROOM_MESSAGE_VALUE, RoomMessagePush.parser());
  }

  private <T> Optional<T> decode(int expectedCommand, Parser<T> parser) {
    if (command != expectedCommand) {
      return Optional.empty();
    }
    try {
      return Optional.of(parser.parseFrom(content));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(
          "content of a command " + command + " message does not decode", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ReceivedMessage m
        && command == m.command
        && seq == m.seq
        && createdAt == m.createdAt
        && roomId == m.roomId
        && messageId == m.messageId
        && Arrays.equals(content, m.content);
  }

  @Override
  public int hashCode() {
    return 31 * Long.hashCode(messageId) + 17 * Long.hashCode(seq) + Arrays.hashCode(content);
  }

  @Override
  public String toString() {
    return "ReceivedMessage[command="
        + command
        + ", seq="
        + seq
        + ", messageId="
        + messageId
        + ", roomId="
        + roomId
        + ", createdAt="
        + createdAt
        + ", content="
        + content.length
        + " bytes]";
  }
}
