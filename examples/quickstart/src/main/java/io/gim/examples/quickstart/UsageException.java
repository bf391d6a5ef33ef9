package io.gim.examples.quickstart;

/**
 * A mistake on the command line; {@link Main} prints its message and the usage text and exits with
 * status 2, never a stack trace.
 */
final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * A mistake described in {@code message}, e.g. {@code "--ttl: 7x (expected: like 30m, 12h, 7d)"}.
   */
  UsageException(String message) {
    super(message);
  }
}
