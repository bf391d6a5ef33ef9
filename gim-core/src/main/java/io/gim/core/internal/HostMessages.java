package io.gim.core.internal;

import com.google.protobuf.UnsafeByteOperations;
import io.gim.core.Messages;
import io.gim.core.PushResult;
import io.gim.protocol.Message;
import io.gim.spi.GimErrorCode;
import io.gim.spi.GimException;
import io.gim.spi.Stores;
import io.gim.spi.cluster.RoomBus;
import io.gim.spi.cluster.RoomEvent;
import io.gim.spi.store.AppendRequest;
import io.gim.spi.store.GroupMember;
import io.gim.spi.store.NewMessage;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The host's {@link Messages}: pushes from the system (sender 0). Thread-safe. */
public final class HostMessages implements Messages {
  private final Stores stores;
  private final RoomBus roomBus;
  private final Delivery delivery;
  private final Sender.Limits limits;
  private final EngineMetrics metrics;

  HostMessages(
      Stores stores,
      RoomBus roomBus,
      Delivery delivery,
      Sender.Limits limits,
      EngineMetrics metrics) {
    this.metrics = metrics;
    this.stores = stores;
    this.roomBus = roomBus;
    this.delivery = delivery;
    this.limits = limits;
  }

  @Override
  public CompletionStage<PushResult> pushToUsers(
      Collection<Long> userIds, int command, byte[] content, boolean persist) {
    Objects.requireNonNull(userIds, "userIds");
    Objects.requireNonNull(content, "content");
    limits.checkContentSize(content);
    byte[] body = content.clone(); // the store and the pushes keep it: the host may reuse its array
    List<Long> users = userIds.stream().distinct().toList();
    if (users.isEmpty()) {
      return CompletableFuture.failedFuture(
          new GimException(
              GimErrorCode.BAD_REQUEST, "userIds: empty (expected: at least one user)"));
    }
    long now = limits.clock().millis();
    if (!persist) {
      Message message = base(command, body, now).build();
      metrics.accepted("host", "users_live");
      int n = delivery.toUsers(users, message, null);
      return CompletableFuture.completedFuture(new PushResult(0, now, Map.of(), n));
    }
    NewMessage message = new NewMessage(0, 0, command, body, now);
    return stores
        .messages()
        .append(AppendRequest.of(message, users))
        .thenApply(
            r -> {
              metrics.accepted("host", "users");
              int n = delivery.toInboxes(r.seqs(), Sender.template(command, body, r), null);
              return new PushResult(r.messageId(), r.createdAtMillis(), r.seqs(), n);
            });
  }

  @Override
  public CompletionStage<PushResult> pushToGroup(
      long groupId, int command, byte[] content, boolean persist) {
    Objects.requireNonNull(content, "content");
    limits.checkContentSize(content);
    return stores
        .groups()
        .members(groupId)
        .thenCompose(
            members -> {
              if (members.isEmpty()) {
                return CompletableFuture.completedFuture(
                    new PushResult(0, limits.clock().millis(), Map.of(), 0));
              }
              List<Long> ids = members.stream().map(GroupMember::userId).toList();
              return pushToUsers(ids, command, content, persist);
            });
  }

  @Override
  public CompletionStage<Void> pushToRoom(
      long roomId, int command, byte[] content, boolean priority) {
    Objects.requireNonNull(content, "content");
    limits.checkContentSize(content);
    long now = limits.clock().millis();
    Message message = base(command, content.clone(), now).setRoomId(roomId).build();
    return roomBus
        .publish(new RoomEvent.Room(roomId, message.toByteArray(), priority, null))
        .thenRun(() -> metrics.accepted("host", "room"));
  }

  @Override
  public CompletionStage<Void> pushToAll(int command, byte[] content) {
    Objects.requireNonNull(content, "content");
    limits.checkContentSize(content);
    Message message = base(command, content.clone(), limits.clock().millis()).build();
    return roomBus
        .publish(new RoomEvent.All(message.toByteArray()))
        .thenRun(() -> metrics.accepted("host", "all"));
  }

  private static Message.Builder base(int command, byte[] content, long nowMillis) {
    return Message.newBuilder()
        .setCommandValue(command)
        .setContent(UnsafeByteOperations.unsafeWrap(content))
        .setCreatedAt(nowMillis / 1000);
  }
}
