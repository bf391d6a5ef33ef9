package io.gim.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the shaded jar as a newcomer would: a server, two chats (TCP and WebSocket), the token tool.
 */
class QuickstartIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String SECRET = "quickstart-it-test-secret";
  private static final Pattern LISTENING =
      Pattern.compile(
          "GIM quickstart listening: tcp=127\\.0\\.0\\.1:(\\d+) ws=ws://127\\.0\\.0\\.1:(\\d+)/ws");

  private final List<JarProcess> processes = new ArrayList<>();
  private int tcpPort;
  private int wsPort;

  @TempDir Path data;
  private JarProcess server;

  @BeforeEach
  void startServer() throws Exception {
    server =
        start(
            "server",
            "server",
            "--tcp-port",
            "0",
            "--ws-port",
            "0",
            "--secret",
            SECRET,
            "--data",
            data.toString());
    Matcher m =
        LISTENING.matcher(server.awaitStdout(line -> LISTENING.matcher(line).matches(), WAIT));
    assertThat(m.matches()).isTrue();
    tcpPort = Integer.parseInt(m.group(1));
    wsPort = Integer.parseInt(m.group(2));
  }

  @Test
  void aRestartedServerKeepsEveryMessageInItsH2Files() throws Exception {
    JarProcess alice =
        connectedChat("alice", 1, 1, "--to", "2", "--server", "127.0.0.1:" + tcpPort);
    for (int i = 1; i <= 3; i++) {
      alice.writeLine("kept " + i);
      int n = i;
      // The chat prints its own message once the server has stored it (it syncs it back).
      alice.awaitStdout(line -> line.endsWith("1/1 -> 2: kept " + n), WAIT);
    }
    alice.closeStdin();
    assertThat(alice.awaitExit(WAIT)).isZero();
    server.stop();

    startServer(); // same --data directory, new process, new ports
    JarProcess bob = connectedChat("bob", 2, 21, "--to", "1", "--server", "127.0.0.1:" + tcpPort);

    for (int i = 1; i <= 3; i++) {
      int n = i;
      assertThat(bob.awaitStdout(line -> line.endsWith("1/1 -> 2: kept " + n), WAIT))
          .startsWith("[seq " + n + "]");
    }
  }

  @AfterEach
  void stopEveryProcess() throws InterruptedException {
    for (JarProcess p : processes) {
      p.stop();
    }
  }

  @Test
  void twoUsersChatOneOverTcpOneOverWebSocket() throws Exception {
    JarProcess alice =
        connectedChat("alice", 1, 1, "--to", "2", "--server", "127.0.0.1:" + tcpPort);
    JarProcess bob =
        connectedChat("bob", 2, 21, "--to", "1", "--ws", "--server", "127.0.0.1:" + wsPort);

    alice.writeLine("hello from 1");
    bob.writeLine("hello from 2");

    assertThat(bob.awaitStdout(line -> line.endsWith("1/1 -> 2: hello from 1"), WAIT))
        .startsWith("[seq ");
    assertThat(alice.awaitStdout(line -> line.endsWith("2/21 -> 1: hello from 2"), WAIT))
        .startsWith("[seq ");
  }

  @Test
  void membersOfTheDemoGroupAndOfARoomHearEachOther() throws Exception {
    JarProcess alice =
        connectedChat("alice", 1, 1, "--room", "7", "--server", "127.0.0.1:" + tcpPort);
    JarProcess bob =
        connectedChat("bob", 2, 21, "--group", "1", "--ws", "--server", "127.0.0.1:" + wsPort);

    bob.writeLine("to the group");
    alice.awaitStdout(line -> line.endsWith("2/21 -> group 1: to the group"), WAIT);
    bob.writeLine("/room 7");
    bob.awaitStdout(line -> line.equals("now sending to room 7"), WAIT);
    alice.writeLine("to the room");

    assertThat(bob.awaitStdout(line -> line.endsWith(": to the room"), WAIT))
        .isEqualTo("[room 7] 1/1: to the room");
  }

  @Test
  void refusesAChatWhoseTokenIsForAnotherDevice() throws Exception {
    JarProcess tokenTool = start("token", "token", "1", "1", "--ttl", "1h", "--secret", SECRET);
    assertThat(tokenTool.awaitExit(WAIT)).isZero();
    String token = tokenTool.stdout().strip();

    JarProcess intruder =
        chat(
            "intruder",
            "--user",
            "1",
            "--device",
            "2",
            "--token",
            token,
            "--server",
            "127.0.0.1:" + tcpPort);

    assertThat(intruder.awaitExit(WAIT)).isEqualTo(1);
    assertThat(intruder.stderr())
        .contains("chat: cannot sign in as 1/2")
        .contains("token is for another device");
  }

  @Test
  void signsInWithAMintedTokenAndExitsCleanlyAtEndOfInput() throws Exception {
    JarProcess tokenTool = start("token", "token", "3", "31", "--secret", SECRET);
    assertThat(tokenTool.awaitExit(WAIT)).isZero();

    JarProcess carol =
        connectedChat(
            "carol",
            3,
            31,
            "--token",
            tokenTool.stdout().strip(),
            "--server",
            "127.0.0.1:" + tcpPort);
    carol.writeLine("/to 1");
    carol.closeStdin();

    assertThat(carol.awaitExit(WAIT)).isZero();
  }

  @Test
  void answersAMistakeWithUsageAndStatusTwo() throws Exception {
    JarProcess chat = chat("typo", "--user", "one", "--device", "1");

    assertThat(chat.awaitExit(WAIT)).isEqualTo(2);
    assertThat(chat.stderr())
        .contains("--user: one (expected: a positive number)")
        .contains("usage:")
        .doesNotContain("Exception");
  }

  /** A chat of {@code user} on {@code device}, once it says it has signed in. */
  private JarProcess connectedChat(String name, long user, long device, String... args)
      throws Exception {
    List<String> command =
        new ArrayList<>(List.of("--user", Long.toString(user), "--device", Long.toString(device)));
    command.addAll(List.of(args));
    JarProcess chat = chat(name, command.toArray(String[]::new));
    chat.awaitStdout(line -> line.startsWith("GIM chat connected: user=" + user + " "), WAIT);
    return chat;
  }

  private JarProcess chat(String name, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("chat", "--secret", SECRET));
    command.addAll(List.of(args));
    return start(name, command.toArray(String[]::new));
  }

  private JarProcess start(String name, String... args) throws IOException {
    JarProcess p = JarProcess.start(name, args);
    processes.add(p);
    return p;
  }
}
