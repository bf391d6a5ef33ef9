package io.gim.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the jar's server listens, with and without a real secret. Connects to the machine's own
 * non-loopback address where it has one; every test also checks the address the server reports.
 */
class QuickstartBindingIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final int CONNECT_TIMEOUT_MILLIS = 2_000;
  private static final Map<String, String> REAL_SECRET =
      Map.of("GIM_SECRET", "quickstart-binding-it-secret");
  private static final Pattern LISTENING =
      Pattern.compile(
          "GIM quickstart listening: tcp=127\\.0\\.0\\.1:(\\d+) ws=ws://127\\.0\\.0\\.1:(\\d+)/ws");
  private static final String REFUSAL =
      "gim-quickstart: server: --host 0.0.0.0 needs a real secret: set GIM_SECRET or --secret (at"
          + " least 16 random bytes); with the built-in development secret the server listens on"
          + " 127.0.0.1 only";

  private final List<JarProcess> processes = new ArrayList<>();

  @TempDir Path temp;

  @AfterEach
  void stopEveryProcess() throws InterruptedException {
    for (JarProcess p : processes) {
      p.stop();
    }
  }

  @Test
  void withTheDevelopmentSecretBothListenersAcceptOnLoopbackOnly() throws Exception {
    JarProcess server = startServer(Map.of());

    assertListensOnLoopbackOnly(server);
    assertThat(server.stderr()).contains("development secret");
  }

  @Test
  void withARealSecretButNoHostBothListenersStillAcceptOnLoopbackOnly() throws Exception {
    JarProcess server = startServer(REAL_SECRET);

    assertListensOnLoopbackOnly(server);
    assertThat(server.stderr()).doesNotContain("development secret");
  }

  @Test
  void withARealSecretInGimSecretBothListenersAcceptOnEveryInterfaceWhenAsked() throws Exception {
    JarProcess server = startServer(REAL_SECRET, "--host", "0.0.0.0");
    int[] ports = ports(server);

    assertThat(server.awaitStdout(line -> line.startsWith("Bound to "), WAIT))
        .isEqualTo("Bound to 0.0.0.0 (every interface: other machines can connect).");
    Optional<InetAddress> external = nonLoopbackAddress();
    for (int port : ports) {
      assertConnects(InetAddress.getLoopbackAddress(), port);
      if (external.isPresent()) {
        assertConnects(external.get(), port);
      }
    }
  }

  @Test
  void refusesEveryInterfaceWithTheDevelopmentSecretInOneLineBeforeOpeningAnything()
      throws Exception {
    Path data = temp.resolve("data");
    JarProcess server =
        start("server", Map.of(), "server", "--host", "0.0.0.0", "--data", data.toString());

    assertThat(server.awaitExit(WAIT)).isEqualTo(2);
    assertThat(server.stderr()).isEqualTo(REFUSAL);
    assertThat(server.stdout()).isEmpty();
    assertThat(data).doesNotExist(); // nor were the stores opened, let alone a port
  }

  @Test
  void refusesAGimSecretShorterThanSixteenBytesInOneLine() throws Exception {
    JarProcess server =
        start("server", Map.of("GIM_SECRET", "hunter2"), "server", "--host", "0.0.0.0");

    assertThat(server.awaitExit(WAIT)).isEqualTo(2);
    assertThat(server.stderr())
        .startsWith("gim-quickstart: GIM_SECRET: 7 bytes is too short for an HMAC key")
        .doesNotContain("\n");
    assertThat(server.stdout()).isEmpty();
  }

  private void assertListensOnLoopbackOnly(JarProcess server) throws Exception {
    int[] ports = ports(server);

    assertThat(server.awaitStdout(line -> line.startsWith("Bound to "), WAIT))
        .isEqualTo("Bound to 127.0.0.1 (loopback: only this machine can connect).");
    Optional<InetAddress> external = nonLoopbackAddress();
    for (int port : ports) {
      assertConnects(InetAddress.getLoopbackAddress(), port);
      if (external.isPresent()) {
        assertThatThrownBy(() -> connect(external.get(), port))
            .as("connect to %s:%d", external.get().getHostAddress(), port)
            .isInstanceOf(ConnectException.class);
      }
    }
  }

  private JarProcess startServer(Map<String, String> env, String... options) throws IOException {
    List<String> args = new ArrayList<>(List.of("server", "--tcp-port", "0", "--ws-port", "0"));
    args.add("--in-memory");
    args.addAll(List.of(options));
    return start("server", env, args.toArray(String[]::new));
  }

  /** The TCP and WebSocket ports, once the server says it is listening. */
  private static int[] ports(JarProcess server) throws InterruptedException {
    Matcher m =
        LISTENING.matcher(server.awaitStdout(line -> LISTENING.matcher(line).matches(), WAIT));
    assertThat(m.matches()).isTrue();
    return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
  }

  private static void assertConnects(InetAddress address, int port) throws IOException {
    connect(address, port);
  }

  private static void connect(InetAddress address, int port) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(address, port), CONNECT_TIMEOUT_MILLIS);
    }
  }

  /**
   * An address of this machine that is not loopback (nor link-local, which needs a scope), IPv4
   * first; empty on a machine with loopback only.
   */
  private static Optional<InetAddress> nonLoopbackAddress() {
    try {
      return NetworkInterface.networkInterfaces()
          .filter(QuickstartBindingIT::isUpAndNotLoopback)
          .flatMap(NetworkInterface::inetAddresses)
          .filter(a -> !a.isLoopbackAddress() && !a.isLinkLocalAddress() && !a.isAnyLocalAddress())
          .min(Comparator.comparing(a -> a instanceof Inet4Address ? 0 : 1));
    } catch (SocketException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean isUpAndNotLoopback(NetworkInterface nic) {
    try {
      return nic.isUp() && !nic.isLoopback();
    } catch (SocketException e) {
      throw new UncheckedIOException(e);
    }
  }

  private JarProcess start(String name, Map<String, String> env, String... args)
      throws IOException {
    JarProcess p = JarProcess.start(name, env, args);
    processes.add(p);
    return p;
  }
}
