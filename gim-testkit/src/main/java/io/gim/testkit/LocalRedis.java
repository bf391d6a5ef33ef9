package io.gim.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private {@code redis-server} process on a free loopback port, for tests that stop, restart,
 * flush or cut off Redis without touching the machine's shared one. Stopped by its process (never
 * by a command that could reach another server); {@link #close()} stops it and deletes its
 * directory.
 *
 * <p>Needs {@code redis-server} on the PATH (Debian's {@code redis-server} package).
 */
public final class LocalRedis implements AutoCloseable {
  private final Path dir;
  private final int port;
  private final boolean appendOnly;
  private Process process;

  private LocalRedis(Path dir, int port, boolean appendOnly) {
    this.dir = dir;
    this.port = port;
    this.appendOnly = appendOnly;
  }

  /** Starts a server that keeps nothing on disk (a restart loses every key). */
  public static LocalRedis start() {
    return start(false);
  }

  /**
   * Starts a server; with {@code appendOnly} it writes an append-only file with {@code appendfsync
   * always}, so a stop and start keeps every acknowledged write.
   */
  public static LocalRedis start(boolean appendOnly) {
    try {
      LocalRedis redis =
          new LocalRedis(Files.createTempDirectory("gim-local-redis"), freePort(), appendOnly);
      redis.startProcess();
      return redis;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The port it listens on (127.0.0.1). */
  public int port() {
    return port;
  }

  /** {@code redis://127.0.0.1:<port>}. */
  public String uri() {
    return "redis://127.0.0.1:" + port;
  }

  /** Stops the process (SIGTERM, then SIGKILL after 10 s); the port stays this server's. */
  public synchronized void stop() {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  /** Starts the process again on the same port and directory; waits until it answers. */
  public synchronized void restart() {
    stop();
    startProcess();
  }

  /**
   * Sends one command and returns the first line of its reply ({@code +OK}, {@code :3}, {@code -ERR
   * ...}, {@code $5} for a bulk string).
   */
  public String command(String... args) {
    return exchange(port, args)[0];
  }

  /** {@link #command} to any Redis on 127.0.0.1, such as a node of a test's own cluster. */
  public static String command(int port, String... args) {
    return exchange(port, args)[0];
  }

  /** The first line of the reply, and the text of a bulk string reply (else empty). */
  private static String[] exchange(int port, String... args) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      StringBuilder request = new StringBuilder("*").append(args.length).append("\r\n");
      for (String arg : args) {
        byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
        request.append('$').append(bytes.length).append("\r\n").append(arg).append("\r\n");
      }
      out.write(request.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = s.getInputStream();
      String first = readLine(in);
      String text = "";
      if (first.startsWith("$") && !first.equals("$-1")) {
        text =
            new String(in.readNBytes(Integer.parseInt(first.substring(1))), StandardCharsets.UTF_8);
      }
      return new String[] {first, text};
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** How many client connections the server has, not counting the one asking. */
  public int clients() {
    String[] reply = exchange(port, "INFO", "clients");
    if (!reply[0].startsWith("$")) {
      throw new IllegalStateException("INFO answered " + reply[0]);
    }
    String info = reply[1];
    for (String line : info.split("\r\n")) {
      if (line.startsWith("connected_clients:")) {
        return Integer.parseInt(line.substring("connected_clients:".length()).trim()) - 1;
      }
    }
    throw new IllegalStateException("INFO clients has no connected_clients: " + info);
  }

  /** Closes every client connection but the one sending the kill: as a network cut would. */
  public String killClients() {
    return command("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes");
  }

  /** Deletes every key: as a server that lost its data would come back. */
  public void flushAll() {
    String reply = command("FLUSHALL");
    if (!reply.equals("+OK")) {
      throw new IllegalStateException("FLUSHALL answered " + reply);
    }
  }

  @Override
  public void close() {
    stop();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temp dir left behind is harmless
    }
  }

  private void startProcess() {
    List<String> cmd = new ArrayList<>();
    cmd.addAll(
        List.of(
            "redis-server",
            "--port",
            String.valueOf(port),
            "--bind",
            "127.0.0.1",
            "--dir",
            dir.toString(),
            "--save",
            ""));
    if (appendOnly) {
      cmd.addAll(List.of("--appendonly", "yes", "--appendfsync", "always"));
    } else {
      cmd.addAll(List.of("--appendonly", "no"));
    }
    try {
      process =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("redis.log").toFile())
              .start();
      // A test JVM that exits without closing it (a timeout, Ctrl-C) takes the server along.
      Process started = process;
      Runtime.getRuntime()
          .addShutdownHook(new Thread(started::destroyForcibly, "gim-local-redis-stop"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start redis-server (is it installed?)", e);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      try {
        if (command("PING").equals("+PONG")) {
          return;
        }
      } catch (UncheckedIOException notYet) {
        // not listening yet
      }
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "redis-server exited with "
                + process.exitValue()
                + "; see "
                + dir.resolve("redis.log"));
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while starting redis-server", e);
      }
    }
    throw new IllegalStateException("redis-server did not answer on port " + port);
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1) {
      if (b == '\r') {
        in.read(); // '\n'
        break;
      }
      line.write(b);
    }
    return line.toString(StandardCharsets.UTF_8);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
