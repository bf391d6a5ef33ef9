package io.gim.examples.quickstart;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * Where the token secret comes from: {@code --secret}, else the {@code GIM_SECRET} environment
 * variable, else a fixed development secret with a loud warning. A given secret must have at least
 * {@link HmacTokens#MIN_SECRET_BYTES} bytes and must not be the development one. Stateless and
 * thread-safe.
 */
final class Secrets {
  /** Known to everyone who has read this file: fine on a laptop, never on a server. */
  static final String DEVELOPMENT_SECRET = "gim-quickstart-development-secret";

  private static final String HOW_TO_MAKE_ONE = "e.g. GIM_SECRET=$(openssl rand -base64 32)";

  private Secrets() {}

  /**
   * The secret given as {@code --secret} or in {@code GIM_SECRET} (an empty variable counts as
   * unset), or empty if neither is; prints nothing.
   *
   * @throws UsageException if the given secret is empty, too short or the development one
   */
  static Optional<String> given(Options options, Map<String, String> env) {
    String source = options.has("secret") ? "--secret" : "GIM_SECRET";
    String secret = options.string("secret", env.get("GIM_SECRET"));
    if (secret == null || (secret.isEmpty() && !options.has("secret"))) {
      return Optional.empty();
    }
    int bytes = secret.getBytes(StandardCharsets.UTF_8).length;
    if (bytes < HmacTokens.MIN_SECRET_BYTES) {
      throw UsageException.refused(
          source
              + ": "
              + bytes
              + " bytes is too short for an HMAC key (expected: at least "
              + HmacTokens.MIN_SECRET_BYTES
              + " random bytes, "
              + HOW_TO_MAKE_ONE
              + ")");
    }
    if (secret.equals(DEVELOPMENT_SECRET)) {
      throw UsageException.refused(
          source
              + ": is the built-in development secret, which anyone can read (expected: a secret"
              + " of your own, "
              + HOW_TO_MAKE_ONE
              + "; or give none for local use)");
    }
    return Optional.of(secret);
  }

  /**
   * The secret to sign and check tokens with; warns on {@code err} if it is the development one.
   *
   * @throws UsageException as {@link #given}
   */
  static String resolve(Options options, Map<String, String> env, PrintStream err) {
    return given(options, env).orElseGet(() -> development(err));
  }

  /** The development secret, after a loud warning on {@code err}. */
  static String development(PrintStream err) {
    err.println("*****************************************************************");
    err.println("* WARNING: no --secret and no GIM_SECRET given, so the built-in *");
    err.println("* development secret signs tokens. Anyone can mint tokens with  *");
    err.println("* it: for local use only.                                       *");
    err.println("*****************************************************************");
    err.flush();
    return DEVELOPMENT_SECRET;
  }
}
