package io.gim.testkit;

import org.junit.jupiter.api.Assumptions;

/**
 * What a test does when a server it needs (MariaDB, PostgreSQL, Redis) is missing: locally it is
 * skipped with a loud message; under {@code CI=true} it fails, so that a CI without the server
 * cannot pass by skipping.
 */
public final class Services {
  private Services() {}

  /**
   * Skips the calling test (or fails it under {@code CI=true}) because {@code name} is missing;
   * never returns normally.
   */
  public static AssertionError missing(String name, String why) {
    String message = name + " " + why;
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new AssertionError(message + ": CI=true requires it; .ci/run starts it");
    }
    System.err.println();
    System.err.println("!!!!!!!!!! SKIPPING " + name + " TESTS: " + message);
    System.err.println("!!!!!!!!!! (under CI=true this fails the build)");
    System.err.println();
    Assumptions.abort(message);
    return new AssertionError("unreachable");
  }
}
