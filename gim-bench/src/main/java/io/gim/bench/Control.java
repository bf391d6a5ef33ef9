package io.gim.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A line-based control port of a bench server on loopback: the load side asks it for heap, RSS and
 * connection counts, and to prepare groups or backlogs. One thread per control client; these are
 * few and short-lived. Closing stops accepting.
 */
final class Control implements AutoCloseable {
  private final ServerSocket socket;
  private final Function<String[], String> commands;

  /** Serves on {@code port} (0 picks one); {@code commands} answers what {@code stats} does not. */
  Control(int port, Function<String[], String> commands) {
    try {
      this.socket = new ServerSocket(port, 16, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.commands = commands;
    Thread t = new Thread(this::accept, "bench-control");
    t.setDaemon(true);
    t.start();
  }

  int port() {
    return socket.getLocalPort();
  }

  private void accept() {
    while (!socket.isClosed()) {
      try {
        Socket s = socket.accept();
        Thread t = new Thread(() -> serve(s), "bench-control-client");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket s) {
    try (s;
        BufferedReader in =
            new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
        PrintWriter out = new PrintWriter(s.getOutputStream(), true, StandardCharsets.UTF_8)) {
      for (String line; (line = in.readLine()) != null; ) {
        String[] words = line.trim().split("\\s+");
        String answer;
        try {
          answer =
              words[0].equals("memory")
                  ? Json.write(memory()).replace("\n", " ")
                  : commands.apply(words);
        } catch (RuntimeException e) {
          answer = "error " + e;
        }
        out.println(answer);
      }
    } catch (IOException e) {
      // the control client went away
    }
  }

  /** Heap used after a full GC, RSS and CPU of this process. */
  static Map<String, Object> memory() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("heapUsed", ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    m.put("rss", ProcStat.rssBytes(ProcStat.selfPid()));
    m.put("openFiles", ProcStat.openFiles());
    m.put("cpuSec", ProcStat.cpuSeconds(ProcStat.selfPid()));
    return m;
  }

  /** Sends one command to a control port and returns the answer line. */
  static String ask(String host, int port, String command) {
    try (Socket s = new Socket(host, port);
        BufferedReader in =
            new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
        PrintWriter out = new PrintWriter(s.getOutputStream(), true, StandardCharsets.UTF_8)) {
      s.setSoTimeout(300_000);
      out.println(command);
      String answer = in.readLine();
      if (answer == null || answer.startsWith("error")) {
        throw new IllegalStateException(command + ": " + answer);
      }
      return answer;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // already closed
    }
  }
}
