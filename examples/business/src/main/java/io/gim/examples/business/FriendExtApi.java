package io.gim.examples.business;

import com.google.protobuf.Empty;
import io.gim.core.Messages;
import io.gim.grpc.Caller;
import io.gim.grpc.business.AddFriendPush;
import io.gim.grpc.business.AgreeAddFriendPush;
import io.gim.grpc.business.Command;
import io.gim.grpc.business.Friend;
import io.gim.grpc.business.FriendAddRequest;
import io.gim.grpc.business.FriendAgreeRequest;
import io.gim.grpc.business.FriendExtServiceGrpc;
import io.gim.grpc.business.FriendSetReply;
import io.gim.grpc.business.FriendSetRequest;
import io.gim.grpc.business.GetFriendsReply;
import io.gim.grpc.business.SendFriendMessageReply;
import io.gim.grpc.business.SendFriendMessageRequest;
import io.gim.grpc.logic.UserMessagePush;
import io.gim.spi.GimErrorCode;
import io.gim.spi.GimException;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code business.FriendExtService} with GIM's rules: an Add is an application the other side is
 * told of (ADD_FRIEND, 110) and an Agree makes both sides friends and tells the applicant
 * (AGREE_ADD_FRIEND, 111); both notifications are stored in the receiver's inbox, pushed only once
 * the relation changed. Messages go only to friends, into both inboxes. Thread-safe; nothing
 * blocks.
 */
final class FriendExtApi extends FriendExtServiceGrpc.FriendExtServiceImplBase {
  /** {@code connect.MessageCommand.MC_USER_MESSAGE}. */
  static final int MC_USER_MESSAGE = 1;

  private static final int DESCRIPTION_MAX = 1024;

  private final UserRepository users;
  private final FriendRepository friends;
  private final Messages messages;

  FriendExtApi(UserRepository users, FriendRepository friends, Messages messages) {
    this.users = users;
    this.friends = friends;
    this.messages = messages;
  }

  /**
   * Applies to be {@code friend_id}'s friend. Adding oneself is 10001, an unknown user 10301, a
   * friend 10211; adding again while the application is open changes and pushes nothing.
   */
  @Override
  public void add(FriendAddRequest request, StreamObserver<Empty> observer) {
    Caller caller = Caller.current();
    Calls.answer(
        observer,
        () -> {
          long friendId = Calls.id("friend id", request.getFriendId());
          if (friendId == caller.userId()) {
            throw new GimException(GimErrorCode.BAD_REQUEST, "cannot add yourself");
          }
          String remarks = Calls.text("remarks", request.getRemarks(), Schema.REMARKS_MAX);
          String description = Calls.text("description", request.getDescription(), DESCRIPTION_MAX);
          return users
              .getAll(List.of(caller.userId(), friendId))
              .thenCompose(
                  found -> {
                    UserRecord me = found.get(caller.userId());
                    if (me == null || !found.containsKey(friendId)) {
                      throw Calls.userNotFound();
                    }
                    return friends
                        .apply(caller.userId(), friendId, remarks)
                        .thenCompose(
                            created ->
                                created
                                    ? push(friendId, Command.ADD_FRIEND, addPush(me, description))
                                    : done());
                  })
              .thenApply(ignored -> Empty.getDefaultInstance());
        });
  }

  private static byte[] addPush(UserRecord me, String description) {
    return AddFriendPush.newBuilder()
        .setFriendId(me.id())
        .setNickname(me.nickname())
        .setAvatarUrl(me.avatarUrl())
        .setDescription(description)
        .build()
        .toByteArray();
  }

  /**
   * Agrees to {@code user_id}'s application: both become friends (10210 without an application;
   * agreeing again changes and pushes nothing).
   */
  @Override
  public void agree(FriendAgreeRequest request, StreamObserver<Empty> observer) {
    Caller caller = Caller.current();
    Calls.answer(
        observer,
        () -> {
          long applicantId = Calls.id("user id", request.getUserId());
          String remarks = Calls.text("remarks", request.getRemarks(), Schema.REMARKS_MAX);
          return friends
              .agree(caller.userId(), applicantId, remarks)
              .thenCompose(
                  agreed ->
                      !agreed
                          ? done()
                          : users
                              .get(caller.userId())
                              .thenCompose(
                                  me ->
                                      push(
                                          applicantId,
                                          Command.AGREE_ADD_FRIEND,
                                          agreePush(me.orElseThrow(Calls::userNotFound)))))
              .thenApply(ignored -> Empty.getDefaultInstance());
        });
  }

  private static byte[] agreePush(UserRecord me) {
    return AgreeAddFriendPush.newBuilder()
        .setFriendId(me.id())
        .setNickname(me.nickname())
        .setAvatarUrl(me.avatarUrl())
        .build()
        .toByteArray();
  }

  /** Sets the caller's remarks and extra about a friend (10210 for anyone else). */
  @Override
  public void set(FriendSetRequest request, StreamObserver<FriendSetReply> observer) {
    Caller caller = Caller.current();
    Calls.answer(
        observer,
        () -> {
          long friendId = Calls.id("friend id", request.getFriendId());
          String remarks = Calls.text("remarks", request.getRemarks(), Schema.REMARKS_MAX);
          String extra = Calls.text("extra", request.getExtra(), Schema.EXTRA_MAX);
          return friends
              .set(caller.userId(), friendId, remarks, extra)
              .thenApply(
                  ignored ->
                      FriendSetReply.newBuilder()
                          .setFriendId(friendId)
                          .setRemarks(remarks)
                          .setExtra(extra)
                          .build());
        });
  }

  /** The caller's friends (agreed, not applications) with their profiles. */
  @Override
  public void getFriends(Empty request, StreamObserver<GetFriendsReply> observer) {
    Caller caller = Caller.current();
    Calls.answer(
        observer,
        () ->
            friends
                .friends(caller.userId())
                .thenApply(
                    list ->
                        GetFriendsReply.newBuilder()
                            .addAllFriends(list.stream().map(FriendExtApi::friend).toList())
                            .build()));
  }

  private static Friend friend(FriendRepository.Friend f) {
    UserRecord u = f.user();
    return Friend.newBuilder()
        .setUserId(u.id())
        .setPhoneNumber(u.phoneNumber())
        .setNickname(u.nickname())
        .setSex(u.sex())
        .setAvatarUrl(u.avatarUrl())
        .setUserExtra(u.extra())
        .setRemarks(f.remarks())
        .setExtra(f.extra())
        .build();
  }

  /**
   * Sends {@code content} to a friend (10210 for anyone else): stored in both inboxes as
   * MC_USER_MESSAGE with a {@code UserMessagePush} carrying the sender's profile and device, so the
   * sender's other devices see it too.
   */
  @Override
  public void sendMessage(
      SendFriendMessageRequest request, StreamObserver<SendFriendMessageReply> observer) {
    Caller caller = Caller.current();
    Calls.answer(
        observer,
        () -> {
          long to = Calls.id("user id", request.getUserId());
          return friends
              .areFriends(caller.userId(), to)
              .thenCompose(
                  ok -> {
                    if (!ok) {
                      throw new GimException(GimErrorCode.FRIEND_NOT_FOUND);
                    }
                    return users.get(caller.userId());
                  })
              .thenCompose(
                  me -> {
                    byte[] push =
                        UserMessagePush.newBuilder()
                            .setFromUser(
                                Protos.sender(
                                    me.orElseThrow(Calls::userNotFound), caller.deviceId()))
                            .setToUserId(to)
                            .setContent(request.getContent())
                            .build()
                            .toByteArray();
                    return messages.pushToUsers(
                        List.of(caller.userId(), to), MC_USER_MESSAGE, push, true);
                  })
              .thenApply(
                  r -> SendFriendMessageReply.newBuilder().setMessageId(r.messageId()).build());
        });
  }

  private CompletionStage<Void> push(long userId, Command command, byte[] content) {
    return messages
        .pushToUsers(List.of(userId), command.getNumber(), content, true)
        .thenApply(ignored -> null);
  }

  private static CompletionStage<Void> done() {
    return CompletableFuture.completedFuture(null);
  }
}
