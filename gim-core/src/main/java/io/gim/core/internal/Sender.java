package io.gim.core.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import io.gim.protocol.GroupMessagePush;
import io.gim.protocol.Message;
import io.gim.protocol.MessageCommand;
import io.gim.protocol.Packet;
import io.gim.protocol.RoomMessagePush;
import io.gim.protocol.SendReply;
import io.gim.protocol.SendRequest;
import io.gim.protocol.User;
import io.gim.protocol.UserMessagePush;
import io.gim.spi.GimErrorCode;
import io.gim.spi.GimException;
import io.gim.spi.SendAttempt;
import io.gim.spi.SendDecision;
import io.gim.spi.SendTarget;
import io.gim.spi.cluster.RoomEvent;
import io.gim.spi.store.AppendRequest;
import io.gim.spi.store.AppendResult;
import io.gim.spi.store.DedupeKey;
import io.gim.spi.store.GroupMember;
import io.gim.spi.store.NewMessage;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * PC_SEND: a client's message to a user, a group or a room. The reply goes out only after the store
 * has the message; live pushes follow. Thread-safe.
 */
final class Sender {
  private final Engine engine;

  /** Room sends are never stored, so their dedupe lives here, per node, for the dedupe window. */
  private final Cache<RoomKey, CompletableFuture<SendReply>> roomSends;

  private record RoomKey(long deviceId, String clientMsgId) {}

  Sender(Engine engine) {
    this.engine = engine;
    this.roomSends =
        Caffeine.newBuilder()
            .expireAfterWrite(engine.config().dedupeWindow())
            .maximumSize(100_000)
            .build();
  }

  void send(Session session, Packet packet) throws InvalidProtocolBufferException {
    SendRequest request = SendRequest.parseFrom(packet.getContent());
    SendTarget target = target(request);
    byte[] content = request.getContent().toByteArray();
    engine.checkContentSize(content);
    SendAttempt attempt =
        new SendAttempt(
            session.userId(), session.deviceId(), target, content, request.getClientMsgId());
    engine
        .sendPolicy()
        .check(attempt)
        .thenCompose(decision -> dispatch(session, attempt, decision))
        .whenComplete(
            (reply, failure) -> {
              if (failure != null) {
                engine.replyFailure(session, packet, failure);
              } else {
                session.send(Packets.ok(packet, reply.toByteString()));
              }
            });
  }

  private static SendTarget target(SendRequest r) {
    int set =
        (r.getToUserId() != 0 ? 1 : 0)
            + (r.getGroupId() != 0 ? 1 : 0)
            + (r.getRoomId() != 0 ? 1 : 0);
    if (set != 1) {
      throw new GimException(
          GimErrorCode.BAD_REQUEST, "exactly one of to_user_id, group_id, room_id must be set");
    }
    if (r.getToUserId() != 0) {
      return new SendTarget.User(r.getToUserId());
    }
    return r.getGroupId() != 0
        ? new SendTarget.Group(r.getGroupId())
        : new SendTarget.Room(r.getRoomId());
  }

  private CompletionStage<SendReply> dispatch(
      Session session, SendAttempt attempt, SendDecision decision) {
    byte[] content = attempt.content();
    if (decision instanceof SendDecision.Refuse refuse) {
      throw new GimException(refuse.code(), refuse.message(), null);
    } else if (decision instanceof SendDecision.Rewrite rewrite) {
      content = rewrite.content();
      engine.checkContentSize(content);
    }
    User from =
        User.newBuilder().setUserId(session.userId()).setDeviceId(session.deviceId()).build();
    ByteString body = UnsafeByteOperations.unsafeWrap(content);
    SendTarget target = attempt.target();
    if (target instanceof SendTarget.User u) {
      byte[] push =
          UserMessagePush.newBuilder()
              .setFromUser(from)
              .setToUserId(u.userId())
              .setContent(body)
              .build()
              .toByteArray();
      List<Long> receivers =
          u.userId() == session.userId()
              ? List.of(u.userId())
              : List.of(session.userId(), u.userId());
      return store(session, attempt, MessageCommand.MC_USER_MESSAGE_VALUE, push, receivers);
    } else if (target instanceof SendTarget.Group g) {
      byte[] push =
          GroupMessagePush.newBuilder()
              .setFromUser(from)
              .setGroupId(g.groupId())
              .setContent(body)
              .build()
              .toByteArray();
      return engine
          .stores()
          .groups()
          .members(g.groupId())
          .thenCompose(
              members -> {
                List<Long> ids = members.stream().map(GroupMember::userId).toList();
                if (!ids.contains(session.userId())) {
                  throw new GimException(
                      GimErrorCode.NOT_IN_GROUP, "not a member of group " + g.groupId());
                }
                return store(session, attempt, MessageCommand.MC_GROUP_MESSAGE_VALUE, push, ids);
              });
    } else {
      long roomId = ((SendTarget.Room) target).roomId();
      byte[] push =
          RoomMessagePush.newBuilder()
              .setFromUser(from)
              .setRoomId(roomId)
              .setContent(body)
              .build()
              .toByteArray();
      return toRoom(session, attempt.clientMsgId(), roomId, push);
    }
  }

  private CompletionStage<SendReply> store(
      Session session, SendAttempt attempt, int command, byte[] push, List<Long> receivers) {
    long now = engine.clock().millis();
    NewMessage message = new NewMessage(session.userId(), session.deviceId(), command, push, now);
    DedupeKey dedupe =
        attempt.clientMsgId().isEmpty()
            ? null
            : new DedupeKey(session.userId(), session.deviceId(), attempt.clientMsgId());
    AppendRequest request =
        new AppendRequest(message, receivers, dedupe, engine.config().dedupeWindow());
    return engine
        .stores()
        .messages()
        .append(request)
        .thenApply(
            result -> {
              if (!result.duplicate()) {
                engine
                    .delivery()
                    .toInboxes(result.seqs(), template(command, push, result), session.deviceId());
              }
              return SendReply.newBuilder()
                  .setMessageId(result.messageId())
                  .setSeq(result.seqOf(session.userId()))
                  .setCreatedAt(result.createdAtMillis() / 1000)
                  .build();
            });
  }

  static Message template(int command, byte[] content, AppendResult result) {
    return Message.newBuilder()
        .setCommandValue(command)
        .setContent(UnsafeByteOperations.unsafeWrap(content))
        .setCreatedAt(result.createdAtMillis() / 1000)
        .setMessageId(result.messageId())
        .build();
  }

  private CompletionStage<SendReply> toRoom(
      Session session, String clientMsgId, long roomId, byte[] push) {
    if (clientMsgId.isEmpty()) {
      return publish(session, roomId, push);
    }
    CompletableFuture<SendReply> mine = new CompletableFuture<>();
    CompletableFuture<SendReply> first =
        roomSends.asMap().putIfAbsent(new RoomKey(session.deviceId(), clientMsgId), mine);
    if (first != null) {
      return first;
    }
    publish(session, roomId, push)
        .whenComplete(
            (reply, failure) -> {
              if (failure != null) {
                roomSends.asMap().remove(new RoomKey(session.deviceId(), clientMsgId), mine);
                mine.completeExceptionally(failure);
              } else {
                mine.complete(reply);
              }
            });
    return mine;
  }

  private CompletionStage<SendReply> publish(Session session, long roomId, byte[] push) {
    long createdAt = engine.clock().millis() / 1000;
    Message message =
        Message.newBuilder()
            .setCommand(MessageCommand.MC_ROOM_MESSAGE)
            .setContent(UnsafeByteOperations.unsafeWrap(push))
            .setCreatedAt(createdAt)
            .setRoomId(roomId)
            .build();
    RoomEvent event = new RoomEvent.Room(roomId, message.toByteArray(), false, session.key());
    return engine
        .roomBus()
        .publish(event)
        .thenApply(ignored -> SendReply.newBuilder().setCreatedAt(createdAt).build());
  }
}
