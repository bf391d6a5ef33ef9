package io.gim.examples.business;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Checks the verification code of a sign-in ({@code UserExtService.SignIn}). A real deployment
 * plugs in its SMS (or e-mail) service here: it sends a code to the phone number and this checks
 * it. A wrong code fails the sign-in with GIM's code 10300, "wrong verification code".
 *
 * <p>Implementations must be thread-safe and must not block: a slow check returns a stage that
 * completes later.
 */
@FunctionalInterface
public interface CodeVerifier {

  /** Whether {@code code} is the code that was sent to {@code phoneNumber}. */
  CompletionStage<Boolean> verify(String phoneNumber, String code);

  /**
   * A development verifier that accepts one fixed code for every number (the example's {@code
   * --dev-code}, default {@code 0000}): anyone who knows it can sign in as anyone.
   */
  static CodeVerifier fixed(String code) {
    byte[] expected = Objects.requireNonNull(code, "code").getBytes(StandardCharsets.UTF_8);
    if (code.isEmpty()) {
      throw new IllegalArgumentException("code: empty (expected: at least one character)");
    }
    return (phone, given) ->
        CompletableFuture.completedFuture(
            MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8)));
  }
}
