package io.gim.client.internal;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.gim.client.ReceivedMessage;
import io.gim.client.ReceivedMessage.Kind;
import io.gim.client.User;
import io.gim.protocol.GroupMessagePush;
import io.gim.protocol.Message;
import io.gim.protocol.RoomMessagePush;
import io.gim.protocol.UserMessagePush;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns wire messages into the client's own {@link ReceivedMessage}s, so no generated type reaches
 * the application. Stateless and thread-safe.
 */
final class ReceivedMessages {

  private static final Logger log = LoggerFactory.getLogger(ReceivedMessages.class);

  private ReceivedMessages() {}

  /** Decodes the payload of a user, group or room message; anything else passes through raw. */
  static ReceivedMessage of(Message m) {
    try {
      switch (m.getCommand()) {
        case MC_USER_MESSAGE -> {
          UserMessagePush push = UserMessagePush.parseFrom(m.getContent());
          return decoded(m, Kind.USER, push.getFromUser(), push.getToUserId(), push.getContent());
        }
        case MC_GROUP_MESSAGE -> {
          GroupMessagePush push = GroupMessagePush.parseFrom(m.getContent());
          return decoded(m, Kind.GROUP, push.getFromUser(), push.getGroupId(), push.getContent());
        }
        case MC_ROOM_MESSAGE -> {
          RoomMessagePush push = RoomMessagePush.parseFrom(m.getContent());
          long room = push.getRoomId() != 0 ? push.getRoomId() : m.getRoomId();
          return decoded(m, Kind.ROOM, push.getFromUser(), room, push.getContent());
        }
        default -> {
          return other(m);
        }
      }
    } catch (InvalidProtocolBufferException e) {
      // Still delivered, raw: dropping it would leave a hole in the inbox that no sync fills.
      log.warn(
          "Message {} (seq {}) does not decode as command {}",
          m.getMessageId(),
          m.getSeq(),
          m.getCommandValue());
      return other(m);
    }
  }

  private static ReceivedMessage decoded(
      Message m, Kind kind, io.gim.protocol.User from, long target, ByteString content) {
    User sender =
        new User(
            from.getUserId(),
            from.getDeviceId(),
            from.getNickname(),
            from.getAvatarUrl(),
            from.getExtra());
    return new ReceivedMessage(
        kind,
        m.getCommandValue(),
        m.getSeq(),
        m.getMessageId(),
        m.getCreatedAt(),
        sender,
        target,
        content.toByteArray());
  }

  private static ReceivedMessage other(Message m) {
    return new ReceivedMessage(
        Kind.OTHER,
        m.getCommandValue(),
        m.getSeq(),
        m.getMessageId(),
        m.getCreatedAt(),
        null,
        0,
        m.getContent().toByteArray());
  }
}
