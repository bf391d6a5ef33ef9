package io.gim.examples.quickstart;

/**
 * A mistake on the command line; {@link Main} prints its message (and, for a malformed command
 * line, the usage text) and exits with status 2, never a stack trace.
 */
final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final boolean showUsage;

  /**
   * A mistake described in {@code message}, e.g. {@code "--ttl: 7x (expected: like 30m, 12h, 7d)"}.
   */
  UsageException(String message) {
    this(message, true);
  }

  private UsageException(String message, boolean showUsage) {
    super(message);
    this.showUsage = showUsage;
  }

  /**
   * A well-formed command line asking for something refused, e.g. a public address with the
   * development secret: the one-line message says why and what to do, the usage text would only
   * bury it.
   */
  static UsageException refused(String message) {
    return new UsageException(message, false);
  }

  /** Whether the usage text helps: false for a {@link #refused} request. */
  boolean showUsage() {
    return showUsage;
  }
}
