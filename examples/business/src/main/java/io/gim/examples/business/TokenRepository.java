package io.gim.examples.business;

import static io.gim.examples.business.Schema.TOKEN;
import static io.gim.examples.business.Schema.TOKEN_DEVICE;
import static io.gim.examples.business.Schema.TOKEN_EXPIRES;
import static io.gim.examples.business.Schema.TOKEN_HASH;
import static io.gim.examples.business.Schema.TOKEN_USER;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.CompletionStage;
import org.jooq.DSLContext;
import org.jooq.Record2;
import org.jooq.exception.DataAccessException;

/**
 * One sign-in token per device in {@code biz_device_token}: the pair (user, device), the token's
 * SHA-256 (never the token itself, so a copy of the table signs nobody in) and its expiry. A new
 * sign-in of the same device replaces its token.
 *
 * <p>Thread-safe; no method blocks.
 */
final class TokenRepository {
  private final BusinessDb db;

  TokenRepository(BusinessDb db) {
    this.db = db;
  }

  /** Stores {@code token} as the token of (user, device), valid until {@code expiresAt} (ms). */
  CompletionStage<Void> save(long userId, long deviceId, String token, long expiresAt) {
    byte[] hash = sha256(token);
    return db.read(
        ctx -> {
          if (update(ctx, userId, deviceId, hash, expiresAt) == 0) {
            try {
              ctx.insertInto(TOKEN, TOKEN_USER, TOKEN_DEVICE, TOKEN_HASH, TOKEN_EXPIRES)
                  .values(userId, deviceId, hash, expiresAt)
                  .execute();
            } catch (DataAccessException e) {
              if (!BusinessDb.uniqueViolation(e)) {
                throw e;
              }
              update(ctx, userId, deviceId, hash, expiresAt); // a concurrent sign-in inserted
            }
          }
          return null;
        });
  }

  /**
   * The expiry (Unix ms) of (user, device)'s token if {@code token} is it, else 0. The comparison
   * of the hashes takes the same time wherever they differ.
   */
  CompletionStage<Long> expiryIfMatches(long userId, long deviceId, String token) {
    byte[] hash = sha256(token);
    return db.read(
        ctx -> {
          Record2<byte[], Long> row =
              ctx.select(TOKEN_HASH, TOKEN_EXPIRES)
                  .from(TOKEN)
                  .where(TOKEN_USER.eq(userId).and(TOKEN_DEVICE.eq(deviceId)))
                  .fetchOne();
          return row != null && MessageDigest.isEqual(row.value1(), hash) ? row.value2() : 0L;
        });
  }

  private static int update(
      DSLContext ctx, long userId, long deviceId, byte[] hash, long expiresAt) {
    return ctx.update(TOKEN)
        .set(TOKEN_HASH, hash)
        .set(TOKEN_EXPIRES, expiresAt)
        .where(TOKEN_USER.eq(userId).and(TOKEN_DEVICE.eq(deviceId)))
        .execute();
  }

  static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
