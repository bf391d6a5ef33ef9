package io.gim.examples.quickstart;

/**
 * The outcome of {@link HmacTokens#check}: valid, or why not, in words a client may see.
 *
 * <p>Immutable and thread-safe.
 */
public enum TokenCheck {
  /** Signed with the secret, for this user and device, not expired. */
  VALID("ok"),
  /** Not two base64url parts with a {@code user:device:expiry} payload. */
  MALFORMED("malformed token"),
  /** Not signed with this server's secret, or altered. */
  BAD_SIGNATURE("bad signature"),
  /** Signed, but for another user. */
  OTHER_USER("token is for another user"),
  /** Signed, but for another device of the user. */
  OTHER_DEVICE("token is for another device"),
  /** Signed, but past its expiry. */
  EXPIRED("token expired");

  private final String message;

  TokenCheck(String message) {
    this.message = message;
  }

  /** What the sign-in refusal says. */
  public String message() {
    return message;
  }
}
