package io.gim.examples.quickstart;

import java.io.PrintStream;
import java.util.Map;

/**
 * Where the token secret comes from: {@code --secret}, else the {@code GIM_SECRET} environment
 * variable, else a fixed development secret with a loud warning. Stateless and thread-safe.
 */
final class Secrets {
  /** Known to everyone who has read this file: fine on a laptop, never on a server. */
  static final String DEVELOPMENT_SECRET = "gim-quickstart-development-secret";

  private Secrets() {}

  /**
   * The secret to sign and check tokens with; warns on {@code err} if it is the development one.
   */
  static String resolve(Options options, Map<String, String> env, PrintStream err) {
    String secret = options.string("secret", env.get("GIM_SECRET"));
    if (secret != null && !secret.isEmpty()) {
      return secret;
    }
    if (options.has("secret")) {
      throw new UsageException("--secret: empty (expected: at least one character)");
    }
    err.println("*****************************************************************");
    err.println("* WARNING: no --secret and no GIM_SECRET given, so the built-in *");
    err.println("* development secret signs tokens. Anyone can mint tokens with  *");
    err.println("* it: for local use only.                                       *");
    err.println("*****************************************************************");
    err.flush();
    return DEVELOPMENT_SECRET;
  }
}
