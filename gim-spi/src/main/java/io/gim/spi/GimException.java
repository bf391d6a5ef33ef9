package io.gim.spi;

import java.util.Objects;

/**
 * The one unchecked exception of GIM for Java. It carries a wire code that reaches the client in
 * {@code Reply.code}: either a {@link GimErrorCode} or a host-defined code.
 *
 * <p>Immutable and thread-safe.
 */
public class GimException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int code;

  /** An error with a well-known code and its default message. */
  public GimException(GimErrorCode code) {
    this(code, code.defaultMessage());
  }

  /** An error with a well-known code and a message for the client. */
  public GimException(GimErrorCode code, String message) {
    this(Objects.requireNonNull(code, "code").code(), message, null);
  }

  /** An error with a well-known code, a message for the client and a cause. */
  public GimException(GimErrorCode code, String message, Throwable cause) {
    this(Objects.requireNonNull(code, "code").code(), message, cause);
  }

  /** An error with any wire code (a host's own, for example) and a message for the client. */
  public GimException(int code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  /** The wire code. */
  public int code() {
    return code;
  }

  /** The well-known constant for {@link #code()}, or {@code null} for a host-defined code. */
  public GimErrorCode errorCode() {
    return GimErrorCode.ofCode(code);
  }

  /**
   * Finds the {@code GimException} in a failure from a {@code CompletionStage} (unwrapping {@code
   * CompletionException}s), or wraps any other throwable as {@link GimErrorCode#INTERNAL}.
   */
  public static GimException from(Throwable t) {
    Throwable c = t;
    while (c != null) {
      if (c instanceof GimException g) {
        return g;
      }
      if (c instanceof java.util.concurrent.RejectedExecutionException) {
        // The rejection's text names executor internals: the client gets the fixed text only.
        return new GimException(GimErrorCode.BUSY, GimErrorCode.BUSY.defaultMessage(), c);
      }
      c = c.getCause();
    }
    return new GimException(GimErrorCode.INTERNAL, GimErrorCode.INTERNAL.defaultMessage(), t);
  }
}
