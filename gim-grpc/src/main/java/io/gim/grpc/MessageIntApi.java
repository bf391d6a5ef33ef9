package io.gim.grpc;

import com.google.protobuf.Empty;
import io.gim.core.Messages;
import io.gim.grpc.logic.MessageIntServiceGrpc;
import io.gim.grpc.logic.PushToAllRequest;
import io.gim.grpc.logic.PushToUsersReply;
import io.gim.grpc.logic.PushToUsersRequest;
import io.grpc.stub.StreamObserver;
import java.util.List;

/**
 * {@code logic.MessageIntService}: a trusted backend's pushes to users and to everyone, through the
 * host API. Thread-safe; no method blocks.
 */
final class MessageIntApi extends MessageIntServiceGrpc.MessageIntServiceImplBase {
  private final Messages messages;

  MessageIntApi(Messages messages) {
    this.messages = messages;
  }

  /**
   * Pushes to every listed user (a user listed twice gets it once). Persisted: stored once, one
   * inbox entry per user, answered after the store has it, with the message's id; not persisted:
   * live only, {@code message_id} 0. No users, or an id of 0, is 10001.
   */
  @Override
  public void pushToUsers(PushToUsersRequest request, StreamObserver<PushToUsersReply> out) {
    Calls.answer(
        () -> {
          List<Long> users = request.getUserIdsList();
          if (users.isEmpty()) {
            return Calls.badRequest("user_ids: empty (expected: at least one user)");
          }
          for (long user : users) {
            if (!Calls.isId(user)) {
              return Calls.badRequest(Calls.badId("user_ids", user));
            }
          }
          return messages.pushToUsers(
              users,
              request.getCommandValue(),
              request.getContent().toByteArray(),
              request.getIsPersist());
        },
        r -> PushToUsersReply.newBuilder().setMessageId(r.messageId()).build(),
        out);
  }

  /** Pushes live to every signed-in connection on every node; nothing is stored. */
  @Override
  public void pushToAll(PushToAllRequest request, StreamObserver<Empty> out) {
    Calls.empty(
        () -> messages.pushToAll(request.getCommandValue(), request.getContent().toByteArray()),
        out);
  }
}
