package io.gim.examples.business;

/**
 * A mistake on the command line: {@link Main} prints its message and the usage text and exits with
 * status 2, never a stack trace.
 */
final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * A mistake described in {@code message}, e.g. {@code "--to: x (expected: a positive number)"}.
   */
  UsageException(String message) {
    super(message);
  }
}
