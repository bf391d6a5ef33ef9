package io.gim.examples.quickstart;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * {@code java -jar target/gim-quickstart.jar ...} in a separate process, as a user runs it. Both
 * output streams are drained on daemon threads into line lists, so a full pipe never stalls the
 * process; every wait is bounded.
 */
final class JarProcess {
  static final Path JAR = Path.of("target", "gim-quickstart.jar").toAbsolutePath();

  private final String name;
  private final Process process;
  private final Writer stdin;
  private final List<String> stdout = new ArrayList<>();
  private final List<String> stderr = new ArrayList<>();

  private JarProcess(String name, Process process) {
    this.name = name;
    this.process = process;
    this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    drain(process.getInputStream(), stdout, name + "-stdout");
    drain(process.getErrorStream(), stderr, name + "-stderr");
  }

  /** Starts the jar with {@code args}; {@code name} labels its threads and failure messages. */
  static JarProcess start(String name, String... args) throws IOException {
    return start(name, Map.of(), args);
  }

  /** As {@link #start(String, String...)}, with {@code env} added to the environment. */
  static JarProcess start(String name, Map<String, String> env, String... args) throws IOException {
    if (!Files.isRegularFile(JAR)) {
      throw new IllegalStateException(JAR + " is missing: run the package phase first");
    }
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> command = new ArrayList<>(List.of(java, "-jar", JAR.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().remove("GIM_SECRET"); // only what the test passes counts
    builder.environment().remove("GIM_JDBC_PASSWORD");
    builder.environment().putAll(env);
    return new JarProcess(name, builder.start());
  }

  private static void drain(InputStream stream, List<String> lines, String threadName) {
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  synchronized (lines) {
                    lines.add(line);
                    lines.notifyAll();
                  }
                }
              } catch (IOException e) {
                // the process is gone; what was read stays readable
              }
            },
            threadName);
    t.setDaemon(true);
    t.start();
  }

  /** The first stdout line matching {@code condition}, waiting at most {@code timeout}. */
  String awaitStdout(Predicate<String> condition, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (stdout) {
      while (true) {
        for (String line : stdout) {
          if (condition.test(line)) {
            return line;
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(
              name + ": no matching line within " + timeout + "\n" + transcript());
        }
        TimeUnit.NANOSECONDS.timedWait(stdout, left);
      }
    }
  }

  /** Writes one line to the process's stdin and flushes it. */
  void writeLine(String line) throws IOException {
    stdin.write(line + "\n");
    stdin.flush();
  }

  /** Closes the process's stdin: end of input, as Ctrl-D in a terminal. */
  void closeStdin() throws IOException {
    stdin.close();
  }

  /** The exit status, waiting at most {@code timeout}. */
  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError(name + ": still running after " + timeout + "\n" + transcript());
    }
    return process.exitValue();
  }

  /** Everything written to stderr so far. */
  String stderr() {
    synchronized (stderr) {
      return String.join("\n", stderr);
    }
  }

  /** Everything written to stdout so far. */
  String stdout() {
    synchronized (stdout) {
      return String.join("\n", stdout);
    }
  }

  /** Sends a signal such as {@code STOP} or {@code CONT} to the process (through kill(1)). */
  void signal(String name) throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid()))
        .inheritIO()
        .start()
        .waitFor(10, TimeUnit.SECONDS);
  }

  /** SIGKILL: the process dies at once, with no shutdown hook, as a crashed node would. */
  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
  }

  /** Asks the process to stop (like Ctrl-C), and kills it if it has not after five seconds. */
  void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }

  private String transcript() {
    return "--- stdout of " + name + "\n" + stdout() + "\n--- stderr of " + name + "\n" + stderr();
  }
}
