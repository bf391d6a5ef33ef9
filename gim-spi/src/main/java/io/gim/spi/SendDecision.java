package io.gim.spi;

import java.util.Objects;

/**
 * A {@link SendPolicy}'s decision.
 *
 * <p>Immutable and thread-safe.
 */
public sealed interface SendDecision {

  /** Let the send through as it is. */
  static SendDecision allow() {
    return Allow.INSTANCE;
  }

  /** Refuse the send; the client's {@code Reply} carries {@code code} and {@code message}. */
  static SendDecision refuse(int code, String message) {
    return new Refuse(code, message);
  }

  /** Let the send through with another content. */
  static SendDecision rewrite(byte[] content) {
    return new Rewrite(content);
  }

  /** Let the send through as it is. */
  final class Allow implements SendDecision {
    static final Allow INSTANCE = new Allow();

    private Allow() {}

    @Override
    public String toString() {
      return "Allow";
    }
  }

  /** Refuse the send. */
  record Refuse(int code, String message) implements SendDecision {
    public Refuse {
      Objects.requireNonNull(message, "message");
      if (code == 0) {
        throw new IllegalArgumentException("code: 0 (expected: a non-zero error code)");
      }
    }
  }

  /** Replace the content. */
  record Rewrite(byte[] content) implements SendDecision {
    public Rewrite {
      Objects.requireNonNull(content, "content");
    }
  }
}
