package io.gim.examples.springboot;

import io.gim.spi.AuthProvider;
import io.gim.spi.AuthResult;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * <b>Development only.</b> Sign-in tokens in the quickstart's format, so its {@code chat} and
 * {@code token} commands work against this application: {@code base64url(userId:deviceId:expiry)}
 * {@code "." base64url(HMAC-SHA256(secret, payload))}, unpadded. A real application checks the
 * tokens its own login service issues instead.
 *
 * <p>Thread-safe and non-blocking.
 */
public final class DevTokens {
  /** Everyone who has read the quickstart knows it: loopback only. */
  public static final String DEVELOPMENT_SECRET = "gim-quickstart-development-secret";

  private static final String HMAC = "HmacSHA256";
  private static final Base64.Encoder ENCODE = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODE = Base64.getUrlDecoder();

  private final SecretKeySpec key;
  private final Clock clock;

  /** Tokens signed with the UTF-8 bytes of {@code secret}. */
  public DevTokens(String secret, Clock clock) {
    if (secret == null || secret.getBytes(StandardCharsets.UTF_8).length < 16) {
      throw new IllegalArgumentException("demo.secret: too short (expected: at least 16 bytes)");
    }
    this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), HMAC);
    this.clock = clock;
  }

  /** A token for the device {@code (userId, deviceId)}, valid for {@code ttl}. */
  public String mint(long userId, long deviceId, Duration ttl) {
    long expiry = clock.instant().plus(ttl).getEpochSecond();
    byte[] payload = (userId + ":" + deviceId + ":" + expiry).getBytes(StandardCharsets.UTF_8);
    return ENCODE.encodeToString(payload) + "." + ENCODE.encodeToString(mac(payload));
  }

  /** Whether {@code token} lets {@code (userId, deviceId)} sign in now; never throws. */
  public boolean valid(long userId, long deviceId, String token) {
    int dot = token == null ? -1 : token.indexOf('.');
    if (dot <= 0 || token.length() > 512) {
      return false;
    }
    try {
      byte[] payload = DECODE.decode(token.substring(0, dot));
      if (!MessageDigest.isEqual(mac(payload), DECODE.decode(token.substring(dot + 1)))) {
        return false;
      }
      String[] parts = new String(payload, StandardCharsets.UTF_8).split(":", -1);
      return parts.length == 3
          && Long.parseLong(parts[0]) == userId
          && Long.parseLong(parts[1]) == deviceId
          && clock.instant().getEpochSecond() < Long.parseLong(parts[2]);
    } catch (IllegalArgumentException e) { // bad base64 or number
      return false;
    }
  }

  /** The {@link AuthProvider} the application gives GIM. */
  public AuthProvider authProvider() {
    return (userId, deviceId, token) ->
        CompletableFuture.completedFuture(
            valid(userId, deviceId, token)
                ? AuthResult.allowed()
                : AuthResult.denied("invalid or expired token"));
  }

  private byte[] mac(byte[] payload) {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(key);
      return mac.doFinal(payload);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(HMAC + " is not available", e);
    }
  }

  @Override
  public String toString() {
    return "DevTokens[secret=***]";
  }
}
