package io.gim.spring.boot;

/**
 * The application context cannot make a GIM server as configured: a bean the configuration needs is
 * missing, or a store module is not on the classpath. The message says what is missing, {@link
 * #action()} what to do; Spring Boot prints both at start-up.
 *
 * <p>Immutable and thread-safe.
 */
public final class GimStarterException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  private final String action;

  GimStarterException(String description, String action) {
    super(description);
    this.action = action;
  }

  /** What to change so the application starts. */
  public String action() {
    return action;
  }
}
