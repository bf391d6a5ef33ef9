package io.gim.examples.business;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
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
 * {@code java -jar target/gim-business.jar ...} as a separate process. Both output streams are
 * drained into line lists on daemon threads, so a full pipe never stalls it; every wait is bounded.
 */
final class Jar {
  static final Path JAR = Path.of("target", "gim-business.jar").toAbsolutePath();

  private final String name;
  private final Process process;
  private final List<String> stdout = new ArrayList<>();
  private final List<String> stderr = new ArrayList<>();
  private final List<Thread> drains = new ArrayList<>();

  private Jar(String name, Process process) {
    this.name = name;
    this.process = process;
    drains.add(drain(process.getInputStream(), stdout));
    drains.add(drain(process.getErrorStream(), stderr));
  }

  static Jar start(String name, Map<String, String> env, List<String> args) throws IOException {
    if (!Files.isRegularFile(JAR)) {
      throw new IllegalStateException(JAR + " is missing: run the package phase first");
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-jar", JAR.toString()));
    command.addAll(args);
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE);
    builder.environment().keySet().removeIf(k -> k.startsWith("GIM_"));
    builder.environment().putAll(env);
    return new Jar(name, builder.start());
  }

  private static Thread drain(InputStream stream, List<String> lines) {
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
            });
    t.setDaemon(true);
    t.start();
    return t;
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

  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError(name + ": still running after " + timeout + "\n" + transcript());
    }
    for (Thread t : drains) {
      t.join(timeout.toMillis()); // the last lines are read once both streams ended
    }
    return process.exitValue();
  }

  String stdout() {
    synchronized (stdout) {
      return String.join("\n", stdout);
    }
  }

  String stderr() {
    synchronized (stderr) {
      return String.join("\n", stderr);
    }
  }

  /** Asks the process to stop (SIGTERM, like Ctrl-C); kills it if it has not after 10 s. */
  int stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
    return process.exitValue();
  }

  String transcript() {
    return "--- stdout of " + name + "\n" + stdout() + "\n--- stderr of " + name + "\n" + stderr();
  }
}
