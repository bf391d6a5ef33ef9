package io.gim.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database password from {@code GIM_JDBC_PASSWORD}, so that it need not be on the command line
 * (where {@code ps} shows it): an H2 database created with that password opens with it, and not
 * with another.
 */
class QuickstartJdbcPasswordIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path temp;
  private JarProcess server;

  @AfterEach
  void stop() throws InterruptedException {
    if (server != null) {
      server.stop();
    }
  }

  private JarProcess start(String password) throws Exception {
    return JarProcess.start(
        "jdbc-password",
        Map.of("GIM_JDBC_PASSWORD", password),
        "server",
        "--jdbc",
        "jdbc:h2:file:" + temp.resolve("gim").toAbsolutePath(),
        "--jdbc-user",
        "sa",
        "--tcp-port",
        "0",
        "--ws-port",
        "0");
  }

  @Test
  void readsThePasswordFromTheEnvironmentWhenTheCommandLineHasNone() throws Exception {
    server = start("first-password");
    assertThat(server.awaitStdout(l -> l.startsWith("GIM quickstart listening"), WAIT)).isNotNull();
    server.stop();

    server = start("another-password");
    assertThat(server.awaitExit(WAIT)).isEqualTo(2);
    assertThat(server.stderr()).contains("cannot use --jdbc").doesNotContain("another-password");
  }
}
