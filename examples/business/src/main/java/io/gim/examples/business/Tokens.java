package io.gim.examples.business;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.gim.spi.AuthProvider;
import io.gim.spi.AuthResult;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Issues and checks sign-in tokens: 32 random bytes from {@link SecureRandom}, base64url (43
 * characters), valid for a configurable time (GIM: three months), bound to one device of one user.
 * Also the server's {@link AuthProvider}, for the long connection and for the Ext gRPC services: a
 * token is accepted only for the (user, device) it was issued to, and only until it expires.
 *
 * <p>Accepted tokens are remembered for a few seconds (at most 100,000 of them), so that a client
 * making many gRPC calls costs one database read per interval; a token replaced by a new sign-in of
 * its device may therefore work for that long still. Refusals are never cached.
 *
 * <p>Thread-safe; nothing blocks (the database work runs on {@link BusinessDb}'s threads).
 */
final class Tokens implements AuthProvider {
  private static final int TOKEN_BYTES = 32;

  private final TokenRepository repository;
  private final Clock clock;
  private final Duration ttl;
  private final SecureRandom random = new SecureRandom();
  private final Cache<Key, Long> accepted;

  Tokens(TokenRepository repository, Clock clock, Duration ttl, Duration cacheTtl) {
    this.repository = repository;
    this.clock = clock;
    this.ttl = ttl;
    this.accepted =
        Caffeine.newBuilder()
            .maximumSize(100_000)
            .expireAfterWrite(cacheTtl.isZero() ? Duration.ofNanos(1) : cacheTtl)
            .build();
  }

  /** A token hashed the same way as in the table: the cache never holds a usable token. */
  private record Key(long userId, long deviceId, String hash) {}

  /** Issues a new token for (user, device), replacing the device's previous one. */
  CompletionStage<String> issue(long userId, long deviceId) {
    byte[] bytes = new byte[TOKEN_BYTES];
    random.nextBytes(bytes);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    long expiresAt = clock.millis() + ttl.toMillis();
    return repository.save(userId, deviceId, token, expiresAt).thenApply(ignored -> token);
  }

  /** Whether {@code token} is the unexpired token of (user, device). */
  CompletionStage<Boolean> valid(long userId, long deviceId, String token) {
    if (userId <= 0 || deviceId <= 0 || token == null || token.isEmpty() || token.length() > 256) {
      return CompletableFuture.completedFuture(false);
    }
    Key key = new Key(userId, deviceId, hex(TokenRepository.sha256(token)));
    Long cached = accepted.getIfPresent(key);
    if (cached != null && cached > clock.millis()) {
      return CompletableFuture.completedFuture(true);
    }
    return repository
        .expiryIfMatches(userId, deviceId, token)
        .thenApply(
            expiresAt -> {
              boolean ok = expiresAt > clock.millis();
              if (ok) {
                accepted.put(key, expiresAt);
              }
              return ok;
            });
  }

  @Override
  public CompletionStage<AuthResult> authenticate(long userId, long deviceId, String token) {
    return valid(userId, deviceId, token)
        .thenApply(ok -> ok ? AuthResult.allowed() : AuthResult.denied("unauthorized"));
  }

  private static String hex(byte[] bytes) {
    return java.util.HexFormat.of().formatHex(bytes);
  }
}
