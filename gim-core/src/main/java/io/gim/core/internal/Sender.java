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
import io.gim.spi.DeviceKey;
import io.gim.spi.GimErrorCode;
import io.gim.spi.GimException;
import io.gim.spi.SendAttempt;
import io.gim.spi.SendDecision;
import io.gim.spi.SendPolicy;
import io.gim.spi.SendTarget;
import io.gim.spi.Stores;
import io.gim.spi.cluster.RoomBus;
import io.gim.spi.cluster.RoomEvent;
import io.gim.spi.store.AppendRequest;
import io.gim.spi.store.AppendResult;
import io.gim.spi.store.DedupeKey;
import io.gim.spi.store.GroupMember;
import io.gim.spi.store.GroupStore;
import io.gim.spi.store.MessageStore;
import io.gim.spi.store.NewMessage;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * PC_SEND: a client's message to a user, a group or a room. The reply goes out only after the store
 * has the message; live pushes follow. Thread-safe.
 */
final class Sender {
  /** PROTOCOL.md: a client_msg_id is at most this many UTF-8 bytes, on every target. */
  static final int MAX_CLIENT_MSG_ID_BYTES = 255;

  /**
   * The room dedupe cache's budget in estimated bytes: ids are at most 255 bytes, so this holds at
   * least some 40,000 recent room sends whatever their ids; older ones are evicted first.
   */
  private static final long ROOM_DEDUPE_BUDGET_BYTES = 16L * 1024 * 1024;

  private final SendPolicy policy;
  private final MessageStore messages;
  private final GroupStore groups;
  private final RoomBus roomBus;
  private final Delivery delivery;
  private final Limits limits;
  private final EngineMetrics metrics;

  /** Room sends are never stored, so their dedupe lives here, per node, for the dedupe window. */
  private final Cache<RoomKey, CompletableFuture<SendReply>> roomSends;

  private record RoomKey(DeviceKey device, String clientMsgId) {}

  /** The message limits of a server: content size, dedupe window, and the clock stamping sends. */
  record Limits(int maxContentBytes, Duration dedupeWindow, Clock clock) {
    /** Fails with 10001 when {@code content} could not travel in one frame once wrapped. */
    void checkContentSize(byte[] content) {
      if (content.length > maxContentBytes) {
        throw new GimException(
            GimErrorCode.BAD_REQUEST,
            "content: "
                + content.length
                + " bytes (expected: <= "
                + maxContentBytes
                + ", the frame limit less 1 KiB)");
      }
    }
  }

  Sender(
      SendPolicy policy,
      Stores stores,
      RoomBus roomBus,
      Delivery delivery,
      Limits limits,
      EngineMetrics metrics) {
    this.metrics = metrics;
    this.policy = policy;
    this.messages = stores.messages();
    this.groups = stores.groups();
    this.roomBus = roomBus;
    this.delivery = delivery;
    this.limits = limits;
    this.roomSends =
        Caffeine.newBuilder()
            .expireAfterWrite(limits.dedupeWindow())
            .maximumWeight(ROOM_DEDUPE_BUDGET_BYTES)
            .weigher(
                (RoomKey k, CompletableFuture<SendReply> v) -> 160 + 2 * k.clientMsgId().length())
            .build();
  }

  /** Checks the request on the session's thread, then returns the reply once the send is done. */
  CompletionStage<byte[]> send(Session session, Packet packet)
      throws InvalidProtocolBufferException {
    SendRequest request = SendRequest.parseFrom(packet.getContent());
    SendTarget target = target(request);
    if (request.getClientMsgIdBytes().size() > MAX_CLIENT_MSG_ID_BYTES) {
      throw new GimException(
          GimErrorCode.BAD_REQUEST, "client_msg_id: longer than 255 bytes (expected: <= 255)");
    }
    byte[] content = request.getContent().toByteArray();
    limits.checkContentSize(content);
    DeviceKey from = session.key();
    SendAttempt attempt =
        new SendAttempt(from.userId(), from.deviceId(), target, content, request.getClientMsgId());
    return policy
        .check(attempt)
        .thenCompose(decision -> dispatch(from, attempt, decision))
        .thenApply(reply -> Packets.ok(packet, reply.toByteString()));
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
      DeviceKey sender, SendAttempt attempt, SendDecision decision) {
    byte[] content = attempt.content();
    if (decision instanceof SendDecision.Refuse refuse) {
      throw new GimException(refuse.code(), refuse.message(), null);
    } else if (decision instanceof SendDecision.Rewrite rewrite) {
      content = rewrite.content();
      limits.checkContentSize(content);
    }
    User from = User.newBuilder().setUserId(sender.userId()).setDeviceId(sender.deviceId()).build();
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
          u.userId() == sender.userId()
              ? List.of(u.userId())
              : List.of(sender.userId(), u.userId());
      return store(sender, attempt, MessageCommand.MC_USER_MESSAGE_VALUE, push, receivers);
    } else if (target instanceof SendTarget.Group g) {
      byte[] push =
          GroupMessagePush.newBuilder()
              .setFromUser(from)
              .setGroupId(g.groupId())
              .setContent(body)
              .build()
              .toByteArray();
      return groups
          .members(g.groupId())
          .thenCompose(
              members -> {
                List<Long> ids = members.stream().map(GroupMember::userId).toList();
                if (!ids.contains(sender.userId())) {
                  throw new GimException(GimErrorCode.NOT_IN_GROUP);
                }
                return store(sender, attempt, MessageCommand.MC_GROUP_MESSAGE_VALUE, push, ids);
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
      return toRoom(sender, attempt.clientMsgId(), roomId, push);
    }
  }

  private CompletionStage<SendReply> store(
      DeviceKey sender, SendAttempt attempt, int command, byte[] push, List<Long> receivers) {
    long now = limits.clock().millis();
    NewMessage message = new NewMessage(sender.userId(), sender.deviceId(), command, push, now);
    DedupeKey dedupe =
        attempt.clientMsgId().isEmpty()
            ? null
            : new DedupeKey(sender.userId(), sender.deviceId(), attempt.clientMsgId());
    AppendRequest request = new AppendRequest(message, receivers, dedupe, limits.dedupeWindow());
    return messages
        .append(request)
        .thenApply(
            result -> {
              if (!result.duplicate()) {
                metrics.accepted(
                    "client", command == MessageCommand.MC_GROUP_MESSAGE_VALUE ? "group" : "user");
                delivery.toInboxes(result.seqs(), template(command, push, result), sender);
              }
              return SendReply.newBuilder()
                  .setMessageId(result.messageId())
                  .setSeq(result.seqOf(sender.userId()))
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
      DeviceKey sender, String clientMsgId, long roomId, byte[] push) {
    if (clientMsgId.isEmpty()) {
      return publish(sender, roomId, push);
    }
    RoomKey key = new RoomKey(sender, clientMsgId);
    CompletableFuture<SendReply> mine = new CompletableFuture<>();
    CompletableFuture<SendReply> first = roomSends.asMap().putIfAbsent(key, mine);
    if (first != null) {
      return first;
    }
    publish(sender, roomId, push)
        .whenComplete(
            (reply, failure) -> {
              if (failure != null) {
                roomSends.asMap().remove(key, mine);
                mine.completeExceptionally(failure);
              } else {
                mine.complete(reply);
              }
            });
    return mine;
  }

  private CompletionStage<SendReply> publish(DeviceKey sender, long roomId, byte[] push) {
    long createdAt = limits.clock().millis() / 1000;
    Message message =
        Message.newBuilder()
            .setCommand(MessageCommand.MC_ROOM_MESSAGE)
            .setContent(UnsafeByteOperations.unsafeWrap(push))
            .setCreatedAt(createdAt)
            .setRoomId(roomId)
            .build();
    RoomEvent event = new RoomEvent.Room(roomId, message.toByteArray(), false, sender);
    return roomBus
        .publish(event)
        .thenApply(
            ignored -> {
              metrics.accepted("client", "room");
              return SendReply.newBuilder().setCreatedAt(createdAt).build();
            });
  }
}
