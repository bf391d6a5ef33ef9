package io.gim.examples.business;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MainTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return Main.run(
        List.of(args),
        Map.of(),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void noCommandPrintsTheUsageAndExitsWith2() {
    assertThat(run()).isEqualTo(2);
    assertThat(err()).contains("usage: java -jar gim-business.jar");
  }

  @Test
  void anUnknownCommandOrOptionIsAUsageMistake() {
    assertThat(run("frobnicate")).isEqualTo(2);
    assertThat(err()).contains("gim-business: unknown command frobnicate");
    assertThat(run("send", "--to", "2", "--txt", "x")).isEqualTo(2);
    assertThat(err()).contains("send: unknown option --txt");
  }

  @Test
  void clientCommandsNeedCredentialsAndSaySoBeforeConnecting() {
    assertThat(run("friends")).isEqualTo(2);
    assertThat(err()).contains("--user: required (or the environment variable GIM_USER");
  }

  @Test
  void badIdsAndPortsNameTheOption() {
    assertThat(
            run(
                "send",
                "--to",
                "bob",
                "--text",
                "x",
                "--user",
                "1",
                "--device",
                "1",
                "--token",
                "t"))
        .isEqualTo(2);
    assertThat(err()).contains("--to: bob (expected: a positive number)");
    assertThat(run("server", "--tcp", "70000")).isEqualTo(2);
    assertThat(err()).contains("--tcp: 70000 (expected: 0-65535)");
    assertThat(run("server", "--data", "a", "--jdbc", "jdbc:h2:mem:x")).isEqualTo(2);
    assertThat(err()).contains("give --data or --jdbc, not both");
  }
}
