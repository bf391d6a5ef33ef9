package io.gim.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time and resident memory of a process, and each core's busy time, read from {@code /proc};
 * Linux only. Thread-safe (stateless).
 */
public final class ProcStat {
  /** Clock ticks per second of {@code /proc/PID/stat}; 100 on every Linux we run on. */
  private static final double TICKS_PER_SECOND = 100.0;

  private ProcStat() {}

  /** This JVM's process id. */
  public static long selfPid() {
    return ProcessHandle.current().pid();
  }

  /** User plus system CPU seconds of {@code pid}, or -1 if it cannot be read. */
  public static double cpuSeconds(long pid) {
    if (pid <= 0) {
      return -1;
    }
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      // The command name may hold spaces: fields are counted after its closing parenthesis.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** Resident set size of {@code pid} in bytes, or -1. */
  static long rssBytes(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  /** Open file descriptors of this process. */
  static int openFiles() {
    String[] fds = new java.io.File("/proc/self/fd").list();
    return fds == null ? -1 : fds.length;
  }

  /**
   * Busy and total clock ticks of each core since boot, from the {@code cpuN} lines of {@code
   * /proc/stat}: {@code [core][0]} busy (everything but idle and iowait), {@code [core][1]} total,
   * {@code [core][2]} steal (time the hypervisor ran something else while this vCPU had work; also
   * counted in busy). Empty if it cannot be read. A core's busy fraction over an interval is the
   * ratio of the deltas.
   */
  public static long[][] coreTicks() {
    try {
      return Files.readAllLines(Path.of("/proc/stat")).stream()
          .filter(line -> line.length() > 3 && line.startsWith("cpu") && line.charAt(3) != ' ')
          .map(ProcStat::busyAndTotal)
          .toArray(long[][]::new);
    } catch (IOException | RuntimeException e) {
      return new long[0][];
    }
  }

  private static long[] busyAndTotal(String cpuLine) {
    // cpuN user nice system idle iowait irq softirq steal [guest guest_nice]: guest time is
    // already counted in user, so only the first eight fields add up to the total.
    String[] f = cpuLine.trim().split("\\s+");
    long total = 0;
    for (int i = 1; i <= 8 && i < f.length; i++) {
      total += Long.parseLong(f[i]);
    }
    long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
    long steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
    return new long[] {total - idle, total, steal};
  }
}
