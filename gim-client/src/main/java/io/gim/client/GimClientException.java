package io.gim.client;

/**
 * A request that did not succeed: either the server answered with a non-zero code (the wire codes
 * of the protocol, e.g. 10000 unauthorized, 10201 not in group) or the client gave up locally, with
 * one of the negative codes below. Immutable and thread-safe.
 */
public final class GimClientException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** No reply within the request timeout. */
  public static final int REQUEST_TIMEOUT = -1;

  /** The connection closed before the reply came. */
  public static final int CONNECTION_CLOSED = -2;

  /** The client is not signed in right now (connecting, reconnecting or kicked out). */
  public static final int NOT_CONNECTED = -3;

  /** {@link GimClient#close()} was called. */
  public static final int CLIENT_CLOSED = -4;

  /** The server's reply could not be decoded, or the request could not be written. */
  public static final int PROTOCOL_ERROR = -5;

  private final int code;

  /** Creates an exception with a server or local code. */
  public GimClientException(int code, String message) {
    super(message);
    this.code = code;
  }

  /** Creates an exception with a local code and the underlying cause. */
  public GimClientException(int code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  /** The server's reply code (positive) or one of this class's local codes (negative). */
  public int code() {
    return code;
  }

  /** Whether the server answered (as opposed to the client giving up locally). */
  public boolean fromServer() {
    return code > 0;
  }

  @Override
  public String getMessage() {
    return "[" + code + "] " + super.getMessage();
  }
}
