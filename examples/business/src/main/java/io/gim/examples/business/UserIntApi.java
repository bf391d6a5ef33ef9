package io.gim.examples.business;

import com.google.protobuf.Empty;
import io.gim.grpc.business.AuthRequest;
import io.gim.grpc.business.GetUserReply;
import io.gim.grpc.business.GetUserRequest;
import io.gim.grpc.business.GetUsersReply;
import io.gim.grpc.business.GetUsersRequest;
import io.gim.grpc.business.UserIntServiceGrpc;
import io.gim.spi.GimErrorCode;
import io.gim.spi.GimException;
import io.grpc.stub.StreamObserver;

/**
 * {@code business.UserIntService}, for trusted backends on the Int port: token checks (how a
 * separate connect layer, or GIM's logic, signs devices in against this server) and profiles.
 * Thread-safe; nothing blocks.
 */
final class UserIntApi extends UserIntServiceGrpc.UserIntServiceImplBase {
  /** At most this many ids per GetUsers. */
  static final int MAX_USERS = 1_000;

  private final UserRepository users;
  private final Tokens tokens;

  UserIntApi(UserRepository users, Tokens tokens) {
    this.users = users;
    this.tokens = tokens;
  }

  /** OK iff the token is the unexpired token of that device of that user; else 10000. */
  @Override
  public void auth(AuthRequest request, StreamObserver<Empty> observer) {
    Calls.answer(
        observer,
        () ->
            tokens
                .valid(request.getUserId(), request.getDeviceId(), request.getToken())
                .thenApply(
                    ok -> {
                      if (!ok) {
                        throw new GimException(GimErrorCode.UNAUTHORIZED);
                      }
                      return Empty.getDefaultInstance();
                    }));
  }

  @Override
  public void getUser(GetUserRequest request, StreamObserver<GetUserReply> observer) {
    Calls.answer(
        observer, () -> UserExtApi.getUser(users, Calls.id("user id", request.getUserId())));
  }

  /**
   * The users that exist among the map's keys (GIM's set), keyed by id; unknown ids are left out.
   */
  @Override
  public void getUsers(GetUsersRequest request, StreamObserver<GetUsersReply> observer) {
    Calls.answer(
        observer,
        () -> {
          if (request.getUserIdsCount() > MAX_USERS) {
            throw new GimException(GimErrorCode.BAD_REQUEST, "too many user ids");
          }
          return users
              .getAll(request.getUserIdsMap().keySet())
              .thenApply(
                  found -> {
                    GetUsersReply.Builder reply = GetUsersReply.newBuilder();
                    found.forEach((id, user) -> reply.putUsers(id, Protos.user(user)));
                    return reply.build();
                  });
        });
  }
}
