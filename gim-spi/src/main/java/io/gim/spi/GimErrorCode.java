package io.gim.spi;

/**
 * The error codes of the wire protocol (PROTOCOL.md). GIM's codes keep their numbers; codes for
 * conditions GIM lacks are above 10300.
 *
 * <p>Immutable and thread-safe.
 */
public enum GimErrorCode {
  /** Not signed in, or the credentials were refused: sign in again. */
  UNAUTHORIZED(10000, "unauthorized"),
  /** The request is malformed or not allowed in this state. */
  BAD_REQUEST(10001, "bad request"),
  /** The connection was not found. */
  CONNECTION_NOT_FOUND(10101, "connection not found"),
  /** The device was not found. */
  DEVICE_NOT_FOUND(10200, "device not found"),
  /** The user is not a member of the group. */
  NOT_IN_GROUP(10201, "not in group"),
  /** The group member was not found. */
  GROUP_MEMBER_NOT_FOUND(10202, "group member not found"),
  /** The user is already a member of the group. */
  ALREADY_IN_GROUP(10203, "already in group"),
  /** The friend was not found. */
  FRIEND_NOT_FOUND(10210, "friend not found"),
  /** The users are already friends. */
  ALREADY_FRIENDS(10211, "already friends"),
  /** The group was not found. */
  GROUP_NOT_FOUND(10220, "group not found"),
  /** The device signed in on another connection; this one is closed. */
  SIGNED_IN_ELSEWHERE(10301, "signed in elsewhere"),
  /** A store or executor is saturated; retry later. Nothing was stored. */
  BUSY(10302, "server busy"),
  /** A store failed or is unreachable; nothing was acknowledged. */
  STORE_UNAVAILABLE(10303, "store unavailable"),
  /** An unexpected server error. */
  INTERNAL(10304, "internal error");

  private final int code;
  private final String defaultMessage;

  GimErrorCode(int code, String defaultMessage) {
    this.code = code;
    this.defaultMessage = defaultMessage;
  }

  /** The number sent on the wire in {@code Reply.code}. */
  public int code() {
    return code;
  }

  /** A short English description, used when no more specific message is given. */
  public String defaultMessage() {
    return defaultMessage;
  }

  /**
   * The constant for a wire code, or {@code null} if the code is not one of these (e.g. a host's
   * own).
   */
  public static GimErrorCode ofCode(int code) {
    for (GimErrorCode c : values()) {
      if (c.code == code) {
        return c;
      }
    }
    return null;
  }
}
