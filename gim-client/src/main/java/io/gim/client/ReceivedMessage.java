package io.gim.client;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * One message delivered to a {@link MessageListener}. Immutable and thread-safe: the content is
 * copied on the way in and on the way out, so nobody can change it under another reader.
 *
 * <p>A user, group or room message ({@link Kind#USER}, {@link Kind#GROUP}, {@link Kind#ROOM}) comes
 * decoded: its sender, its target and the application's payload. Anything else ({@link Kind#OTHER})
 * is a host-defined command (110 add-friend, 120 group updated, ...), whose raw content the
 * application decodes itself by {@link #command()}.
 */
public final class ReceivedMessage {

  /** What a message is, which says which of the target fields is set. */
  public enum Kind {
    /** To one user: {@link #toUserId()} is set. */
    USER,
    /** To a group: {@link #groupId()} is set. */
    GROUP,
    /** To a room's subscribers, never stored: {@link #roomId()} is set and the seq is 0. */
    ROOM,
    /**
     * A host-defined command, or a user, group or room message whose payload did not decode: no
     * sender or target, the content is the raw bytes.
     */
    OTHER
  }

  private final Kind kind;
  private final int command;
  private final long seq;
  private final long messageId;
  private final long createdAt;
  private final User from;
  private final long targetId;
  private final byte[] content;

  /**
   * Creates a message, e.g. in an application's tests; the client builds its own.
   *
   * @param command the wire command: 1 user, 2 group, 3 room, or a host-defined value
   * @param from the sender, {@code null} only for {@link Kind#OTHER}
   * @param targetId the user, group or room the message was sent to; 0 for {@link Kind#OTHER}
   * @param content the payload, copied
   */
  public ReceivedMessage(
      Kind kind,
      int command,
      long seq,
      long messageId,
      long createdAt,
      User from,
      long targetId,
      byte[] content) {
    this.kind = Objects.requireNonNull(kind, "kind");
    if (from == null && kind != Kind.OTHER) {
      throw new IllegalArgumentException("from: null (expected: a sender for kind " + kind + ")");
    }
    this.command = command;
    this.seq = seq;
    this.messageId = messageId;
    this.createdAt = createdAt;
    this.from = from;
    this.targetId = targetId;
    this.content = content.clone();
  }

  /** What the message is. */
  public Kind kind() {
    return kind;
  }

  /** The wire command: 1 user, 2 group, 3 room, or a host-defined value (110, 120, ...). */
  public int command() {
    return command;
  }

  /** The user's inbox seq; 0 for room and broadcast messages. */
  public long seq() {
    return seq;
  }

  /** Whether this is an inbox message (it has a seq), as opposed to a room or broadcast one. */
  public boolean inbox() {
    return seq != 0;
  }

  /** The stored message's id, 0 if it has none. */
  public long messageId() {
    return messageId;
  }

  /** When the server accepted the message, in Unix seconds. */
  public long createdAt() {
    return createdAt;
  }

  /** The sender; empty for {@link Kind#OTHER}. */
  public Optional<User> from() {
    return Optional.ofNullable(from);
  }

  /** The receiving user of a {@link Kind#USER} message, else 0. */
  public long toUserId() {
    return kind == Kind.USER ? targetId : 0;
  }

  /** The group of a {@link Kind#GROUP} message, else 0. */
  public long groupId() {
    return kind == Kind.GROUP ? targetId : 0;
  }

  /** The room of a {@link Kind#ROOM} message, else 0. */
  public long roomId() {
    return kind == Kind.ROOM ? targetId : 0;
  }

  /** A copy of the payload: the application's bytes, or the raw content for {@link Kind#OTHER}. */
  public byte[] content() {
    return content.clone();
  }

  /** The payload's length, without copying it. */
  public int contentLength() {
    return content.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ReceivedMessage m
        && kind == m.kind
        && command == m.command
        && seq == m.seq
        && messageId == m.messageId
        && createdAt == m.createdAt
        && Objects.equals(from, m.from)
        && targetId == m.targetId
        && Arrays.equals(content, m.content);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, command, seq, messageId, createdAt, from, targetId)
        + 31 * Arrays.hashCode(content);
  }

  @Override
  public String toString() {
    // The payload may be private: its size only.
    return "ReceivedMessage["
        + kind
        + ", command="
        + command
        + ", seq="
        + seq
        + ", messageId="
        + messageId
        + ", from="
        + (from == null ? "-" : from.userId() + "/" + from.deviceId())
        + ", target="
        + targetId
        + ", createdAt="
        + createdAt
        + ", content="
        + content.length
        + " bytes]";
  }
}
