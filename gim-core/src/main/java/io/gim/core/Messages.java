package io.gim.core;

import java.util.Collection;
import java.util.concurrent.CompletionStage;

/**
 * The host's way to send: to users, to a group, to a room, to everyone. Obtained from {@link
 * GimServer#messages()}.
 *
 * <p>Thread-safe; no method blocks. A persisted push's stage completes only after the store has it
 * (guarantee 3 of the protocol); live delivery to online devices is best effort. Content larger
 * than the server's frame limit less 1 KiB could never be delivered: every method throws a {@link
 * io.gim.spi.GimException} with code 10001 for it, before doing anything.
 *
 * <pre>{@code
 * server.messages().pushToUsers(List.of(42L), 110, addFriendPush.toByteArray(), true)
 *     .thenAccept(r -> log.info("stored as {}", r.messageId()));
 * }</pre>
 */
public interface Messages {

  /**
   * Sends a message with a host-defined {@code command} to users. With {@code persist} it is stored
   * once and appended to every user's inbox (each gets its seq); without, it goes live to the
   * devices online now, with seq 0, and nothing is stored.
   */
  CompletionStage<PushResult> pushToUsers(
      Collection<Long> userIds, int command, byte[] content, boolean persist);

  /** {@link #pushToUsers} to every member of a group; fails with 10220 for an unknown group. */
  CompletionStage<PushResult> pushToGroup(
      long groupId, int command, byte[] content, boolean persist);

  /** Sends a live-only message to the current subscribers of a room on every node. */
  CompletionStage<Void> pushToRoom(long roomId, int command, byte[] content, boolean priority);

  /** Sends a live-only message to every signed-in connection on every node. */
  CompletionStage<Void> pushToAll(int command, byte[] content);
}
