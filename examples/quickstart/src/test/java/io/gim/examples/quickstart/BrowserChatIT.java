package io.gim.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The browser chat end to end: the jar's server with {@code --web-port} and the development secret,
 * and {@code src/main/web/e2e/chat.spec.mjs} driving two headless Chromium pages through
 * playwright-core (installed by the build's {@code npm ci}). A missing Chromium fails this test: a
 * browser test that did not run must never count as passed ({@code .ci/install-chromium} installs
 * it; {@code GIM_CHROMIUM} names another binary).
 */
class BrowserChatIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Duration SPEC_TIMEOUT = Duration.ofSeconds(100);
  private static final Path WEB = Path.of("src", "main", "web").toAbsolutePath();
  private static final Pattern CHAT =
      Pattern.compile("Browser chat: (http://127\\.0\\.0\\.1:\\d+/)\\?.*");

  private JarProcess server;

  @AfterEach
  void stop() throws InterruptedException {
    if (server != null) {
      server.stop();
    }
  }

  @Test
  void twoPagesChatAndAReloadedPageSyncsItsHistoryBack() throws Exception {
    Path chromium = Path.of(System.getenv().getOrDefault("GIM_CHROMIUM", "/usr/bin/chromium"));
    if (!Files.isExecutable(chromium)) {
      fail(
          "BrowserChatIT needs Chromium at "
              + chromium
              + " and it is missing: run `bash .ci/install-chromium` (apt-get install -y chromium,"
              + " as root) or set GIM_CHROMIUM to a Chromium binary");
    }
    if (!Files.isDirectory(WEB.resolve("node_modules/playwright-core"))) {
      fail(
          "playwright-core is missing from "
              + WEB
              + ": the build's `node install.mjs` installs it");
    }
    server =
        JarProcess.start(
            "web", "server", "--in-memory", "--tcp-port", "0", "--ws-port", "0", "--web-port", "0");
    Matcher chat = CHAT.matcher(server.awaitStdout(l -> l.startsWith("Browser chat: "), WAIT));
    assertThat(chat.matches()).isTrue();

    Path log = Path.of("target", "browser-chat-e2e.log").toAbsolutePath();
    ProcessBuilder spec =
        new ProcessBuilder(List.of("node", "e2e/chat.spec.mjs"))
            .directory(WEB.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    spec.environment().put("GIM_WEB_URL", chat.group(1));
    spec.environment().put("GIM_CHROMIUM", chromium.toString());
    Process node = spec.start();
    if (!node.waitFor(SPEC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      node.descendants().forEach(ProcessHandle::destroyForcibly);
      node.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      fail("chat.spec.mjs still running after " + SPEC_TIMEOUT + "\n" + read(log));
    }
    String output = read(log);
    System.out.println(output);
    assertThat(node.exitValue()).as(output).isZero();
    assertThat(output).contains("BROWSER CHAT OK").doesNotContain("page error");
  }

  private static String read(Path log) throws IOException {
    return Files.readString(log, StandardCharsets.UTF_8);
  }
}
