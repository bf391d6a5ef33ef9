package io.gim.spi;

import java.util.Objects;

/**
 * The decision of an {@link AuthProvider}.
 *
 * <p>Immutable and thread-safe.
 */
public sealed interface AuthResult {

  /** Sign-in accepted. */
  static AuthResult allowed() {
    return Allowed.INSTANCE;
  }

  /** Sign-in refused with {@link GimErrorCode#UNAUTHORIZED}. */
  static Denied denied(String message) {
    return new Denied(GimErrorCode.UNAUTHORIZED.code(), message);
  }

  /** Sign-in refused with a host-chosen code, which reaches the client. */
  static Denied denied(int code, String message) {
    return new Denied(code, message);
  }

  /** Sign-in accepted. */
  final class Allowed implements AuthResult {
    static final Allowed INSTANCE = new Allowed();

    private Allowed() {}

    @Override
    public String toString() {
      return "Allowed";
    }
  }

  /** Sign-in refused; {@code code} and {@code message} reach the client. */
  record Denied(int code, String message) implements AuthResult {
    public Denied {
      Objects.requireNonNull(message, "message");
      if (code == 0) {
        throw new IllegalArgumentException("code: 0 (expected: a non-zero error code)");
      }
    }
  }
}
