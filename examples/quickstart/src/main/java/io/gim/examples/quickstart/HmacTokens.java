package io.gim.examples.quickstart;

import io.gim.spi.AuthProvider;
import io.gim.spi.AuthResult;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Mints and checks sign-in tokens signed with a shared secret: {@code
 * base64url(userId:deviceId:expiresAtEpochSeconds) + "." + base64url(HMAC-SHA256(secret,
 * payload))}, both parts without padding.
 *
 * <p>Thread-safe and non-blocking: every call uses its own {@link Mac}. A demonstration of what a
 * host puts behind {@link AuthProvider}; a real host would rather verify the tokens its own login
 * service issues.
 */
public final class HmacTokens {
  /**
   * The shortest secret accepted, in UTF-8 bytes: 128 bits, and then only if they are random. An
   * HMAC key is as strong as it is unguessable; a short one falls to an offline search from a
   * single token.
   */
  public static final int MIN_SECRET_BYTES = 16;

  private static final String ALGORITHM = "HmacSHA256";
  // Far longer than any token this class mints; refuses garbage before decoding it.
  private static final int MAX_TOKEN_CHARS = 512;
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  private final SecretKeySpec key;
  private final Clock clock;

  /**
   * Tokens signed with {@code secret} (its UTF-8 bytes, at least {@link #MIN_SECRET_BYTES}), timed
   * by {@code clock}.
   */
  public HmacTokens(String secret, Clock clock) {
    Objects.requireNonNull(secret, "secret");
    byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
    if (bytes.length < MIN_SECRET_BYTES) {
      throw new IllegalArgumentException(
          "secret: " + bytes.length + " bytes (expected: at least " + MIN_SECRET_BYTES + ")");
    }
    this.key = new SecretKeySpec(bytes, ALGORITHM);
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** A token for {@code userId} on {@code deviceId}, valid for {@code ttl} from now. */
  public String mint(long userId, long deviceId, Duration ttl) {
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl: " + ttl + " (expected: > 0)");
    }
    long expiresAt = clock.instant().plus(ttl).getEpochSecond();
    byte[] payload = (userId + ":" + deviceId + ":" + expiresAt).getBytes(StandardCharsets.UTF_8);
    return ENCODER.encodeToString(payload) + "." + ENCODER.encodeToString(sign(payload));
  }

  /** Checks {@code token} for a sign-in of {@code userId} on {@code deviceId}; never throws. */
  public TokenCheck check(long userId, long deviceId, String token) {
    if (token == null || token.length() > MAX_TOKEN_CHARS) {
      return TokenCheck.MALFORMED;
    }
    int dot = token.indexOf('.');
    if (dot <= 0 || dot != token.lastIndexOf('.')) {
      return TokenCheck.MALFORMED;
    }
    byte[] payload;
    byte[] signature;
    try {
      payload = DECODER.decode(token.substring(0, dot));
      signature = DECODER.decode(token.substring(dot + 1));
    } catch (IllegalArgumentException e) {
      return TokenCheck.MALFORMED;
    }
    // Constant time, so the comparison leaks nothing about how much of a forged signature is right.
    if (!MessageDigest.isEqual(sign(payload), signature)) {
      return TokenCheck.BAD_SIGNATURE;
    }
    String[] fields = new String(payload, StandardCharsets.UTF_8).split(":", -1);
    if (fields.length != 3) {
      return TokenCheck.MALFORMED;
    }
    try {
      if (Long.parseLong(fields[0]) != userId) {
        return TokenCheck.OTHER_USER;
      }
      if (Long.parseLong(fields[1]) != deviceId) {
        return TokenCheck.OTHER_DEVICE;
      }
      if (clock.instant().getEpochSecond() >= Long.parseLong(fields[2])) {
        return TokenCheck.EXPIRED;
      }
    } catch (NumberFormatException e) {
      return TokenCheck.MALFORMED;
    }
    return TokenCheck.VALID;
  }

  /** An {@link AuthProvider} accepting exactly the tokens {@link #check} finds valid. */
  public AuthProvider authProvider() {
    return (userId, deviceId, token) -> {
      TokenCheck check = check(userId, deviceId, token);
      AuthResult result =
          check == TokenCheck.VALID ? AuthResult.allowed() : AuthResult.denied(check.message());
      return CompletableFuture.completedFuture(result);
    };
  }

  private byte[] sign(byte[] payload) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return mac.doFinal(payload);
    } catch (GeneralSecurityException e) {
      // Every Java runtime must provide HmacSHA256.
      throw new IllegalStateException(ALGORITHM + " is not available", e);
    }
  }

  @Override
  public String toString() {
    return "HmacTokens[secret=***]";
  }
}
