package io.gim.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gim.spi.AuthResult;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class HmacTokensTest {
  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
  private static final String SECRET = "s3cret-of-sixteen-bytes-or-more";
  private final HmacTokens tokens = new HmacTokens(SECRET, Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void acceptsTheTokenItMinted() {
    String token = tokens.mint(42, 7, Duration.ofHours(1));

    assertThat(tokens.check(42, 7, token)).isEqualTo(TokenCheck.VALID);
    assertThat(token).doesNotContain("=").matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
  }

  @Test
  void refusesATamperedPayload() {
    String token = tokens.mint(42, 7, Duration.ofHours(1));
    String signature = token.substring(token.indexOf('.'));
    String forged = encode("43:7:" + NOW.plusSeconds(3600).getEpochSecond()) + signature;

    assertThat(tokens.check(43, 7, forged)).isEqualTo(TokenCheck.BAD_SIGNATURE);
  }

  @Test
  void refusesATokenSignedWithAnotherSecret() {
    String token =
        new HmacTokens("another-secret-of-16+-bytes", Clock.fixed(NOW, ZoneOffset.UTC))
            .mint(42, 7, Duration.ofHours(1));

    assertThat(tokens.check(42, 7, token)).isEqualTo(TokenCheck.BAD_SIGNATURE);
  }

  @Test
  void refusesATokenOfAnotherDeviceOrUser() {
    String token = tokens.mint(42, 7, Duration.ofHours(1));

    assertThat(tokens.check(42, 8, token)).isEqualTo(TokenCheck.OTHER_DEVICE);
    assertThat(tokens.check(41, 7, token)).isEqualTo(TokenCheck.OTHER_USER);
  }

  @Test
  void refusesATokenFromTheMomentItExpires() {
    String token = tokens.mint(42, 7, Duration.ofMinutes(10));
    HmacTokens justBefore =
        new HmacTokens(SECRET, Clock.fixed(NOW.plusSeconds(599), ZoneOffset.UTC));
    HmacTokens atExpiry = new HmacTokens(SECRET, Clock.fixed(NOW.plusSeconds(600), ZoneOffset.UTC));

    assertThat(justBefore.check(42, 7, token)).isEqualTo(TokenCheck.VALID);
    assertThat(atExpiry.check(42, 7, token)).isEqualTo(TokenCheck.EXPIRED);
  }

  @Test
  void callsMalformedInputMalformedAndNeverThrows() {
    String validSignature = tokens.mint(42, 7, Duration.ofHours(1)).split("\\.")[1];
    String[] garbage = {
      null,
      "",
      ".",
      "abc",
      "abc.",
      ".abc",
      "a.b.c",
      "!!!.@@@",
      "é.é",
      "x".repeat(10_000),
      encode("42:7") + "." + validSignature,
    };
    for (String token : garbage) {
      assertThat(tokens.check(42, 7, token))
          .as("%s", token)
          .isIn(TokenCheck.MALFORMED, TokenCheck.BAD_SIGNATURE);
    }
    assertThat(tokens.check(42, 7, "abc")).isEqualTo(TokenCheck.MALFORMED);
  }

  @Test
  void callsASignedPayloadThatIsNotUserDeviceExpiryMalformed() {
    // Signed with the right secret, so only the payload's shape is wrong.
    String token = forgeWithSecret(SECRET, "42:seven:99");

    assertThat(tokens.check(42, 7, token)).isEqualTo(TokenCheck.MALFORMED);
  }

  @Test
  void authProviderDeniesWithTheReasonInWords() {
    String token = tokens.mint(42, 7, Duration.ofHours(1));

    AuthResult ok = tokens.authProvider().authenticate(42, 7, token).toCompletableFuture().join();
    AuthResult denied =
        tokens.authProvider().authenticate(42, 8, token).toCompletableFuture().join();

    assertThat(ok).isEqualTo(AuthResult.allowed());
    assertThat(denied)
        .isInstanceOfSatisfying(
            AuthResult.Denied.class,
            d -> assertThat(d.message()).isEqualTo("token is for another device"));
  }

  @Test
  void hidesTheSecretFromToString() {
    assertThat(tokens.toString()).doesNotContain(SECRET);
  }

  @Test
  void refusesASecretShorterThanSixteenBytes() {
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

    assertThatThrownBy(() -> new HmacTokens("fifteen-bytes!!", clock))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("secret: 15 bytes (expected: at least 16)");
    assertThatThrownBy(() -> new HmacTokens("", clock))
        .hasMessage("secret: 0 bytes (expected: at least 16)");
    // Bytes, not characters: eight two-byte characters make a sixteen-byte key.
    assertThat(new HmacTokens("éééééééé", clock).mint(1, 1, Duration.ofMinutes(1))).isNotEmpty();
  }

  private static String encode(String text) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String forgeWithSecret(String secret, String payload) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] signature = mac.doFinal(payload.getBytes(StandardCharsets.UTF_8));
      return encode(payload)
          + "."
          + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }
}
