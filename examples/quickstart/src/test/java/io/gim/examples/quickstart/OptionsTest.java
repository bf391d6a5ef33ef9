package io.gim.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OptionsTest {

  private static Options parse(String... args) {
    return Options.parse(List.of(args), Set.of("ttl", "port", "user"), Set.of("ws"));
  }

  @Test
  void readsPositionalValuedAndFlagArguments() {
    Options o = parse("1", "--ttl", "12h", "--ws", "--port=0", "2");

    assertThat(o.positional()).containsExactly("1", "2");
    assertThat(o.duration("ttl", Duration.ZERO)).isEqualTo(Duration.ofHours(12));
    assertThat(o.port("port", 8001)).isZero();
    assertThat(o.has("ws")).isTrue();
    assertThat(o.duration("missing", Duration.ofDays(7))).isEqualTo(Duration.ofDays(7));
  }

  @Test
  void namesTheMistakeInItsMessage() {
    assertThatThrownBy(() -> parse("--bogus")).hasMessage("unknown option --bogus");
    assertThatThrownBy(() -> parse("--ttl")).hasMessage("--ttl: missing value");
    assertThatThrownBy(() -> parse("--ttl", "7x").duration("ttl", null))
        .hasMessage("--ttl: 7x (expected: like 45s, 30m, 12h, 7d)");
    assertThatThrownBy(() -> parse("--port", "70000").port("port", 1))
        .hasMessage("--port: 70000 (expected: 0-65535)");
    assertThatThrownBy(() -> Options.id("--user", "-3"))
        .hasMessage("--user: -3 (expected: a positive number)");
    assertThatThrownBy(() -> parse().required("user")).hasMessage("--user: required");
  }

  @Test
  void mainPrintsUsageAndReturnsTwoForAMistake() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
    ByteArrayInputStream in = new ByteArrayInputStream(new byte[0]);

    int status = Main.run(List.of("token", "1"), in, System.out, errStream);

    assertThat(status).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .startsWith("gim-quickstart: token: expected <userId> <deviceId>")
        .contains("usage: java -jar gim-quickstart.jar");
  }
}
