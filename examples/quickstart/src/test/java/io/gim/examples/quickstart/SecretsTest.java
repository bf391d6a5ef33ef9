package io.gim.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SecretsTest {
  private static final String REAL = "a-real-secret-of-32-bytes-length";

  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);

  private static Options options(String... args) {
    return Options.parse(List.of(args), Set.of("secret"), Set.of());
  }

  @Test
  void takesTheOptionBeforeTheEnvironmentAndWarnsAboutNeither() {
    Map<String, String> env = Map.of("GIM_SECRET", "from-the-environment-32-bytes-ok");

    assertThat(Secrets.resolve(options("--secret", REAL), env, errStream)).isEqualTo(REAL);
    assertThat(Secrets.resolve(options(), env, errStream))
        .isEqualTo("from-the-environment-32-bytes-ok");
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void fallsBackToTheDevelopmentSecretWithAWarningWhenNoneIsGiven() {
    assertThat(Secrets.given(options(), Map.of())).isEmpty();
    assertThat(Secrets.given(options(), Map.of("GIM_SECRET", ""))).isEmpty();

    assertThat(Secrets.resolve(options(), Map.of(), errStream))
        .isEqualTo(Secrets.DEVELOPMENT_SECRET);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("WARNING").contains("local use only");
  }

  @Test
  void refusesASecretShorterThanSixteenBytesNamingWhereItCameFrom() {
    assertThatThrownBy(() -> Secrets.given(options(), Map.of("GIM_SECRET", "hunter2")))
        .isInstanceOf(UsageException.class)
        .hasMessageStartingWith("GIM_SECRET: 7 bytes is too short for an HMAC key")
        .hasMessageContaining("at least 16 random bytes");
    assertThatThrownBy(() -> Secrets.given(options("--secret", "fifteen-bytes!!"), Map.of()))
        .hasMessageStartingWith("--secret: 15 bytes is too short");
    assertThatThrownBy(() -> Secrets.given(options("--secret", ""), Map.of()))
        .hasMessageStartingWith("--secret: 0 bytes is too short");
    assertThat(Secrets.given(options("--secret", "sixteen-bytes!!!"), Map.of()))
        .contains("sixteen-bytes!!!");
  }

  @Test
  void refusesTheDevelopmentSecretPassedOffAsARealOne() {
    Map<String, String> env = Map.of("GIM_SECRET", Secrets.DEVELOPMENT_SECRET);

    assertThatThrownBy(() -> Secrets.given(options(), env))
        .isInstanceOf(UsageException.class)
        .hasMessageStartingWith("GIM_SECRET: is the built-in development secret");
  }

  @Test
  void mainPrintsARefusalAsOneLineWithoutTheUsageText() {
    int status =
        Main.run(
            List.of("token", "1", "1", "--secret", "short"),
            new ByteArrayInputStream(new byte[0]),
            System.out,
            errStream);

    assertThat(status).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8).lines())
        .singleElement()
        .asString()
        .startsWith("gim-quickstart: --secret: 5 bytes is too short for an HMAC key");
  }
}
