package io.gim.examples.quickstart;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The arguments of one sub-command: positional values, {@code --name value} (or {@code
 * --name=value}) options and {@code --flag} switches. Every mistake is a {@link UsageException}.
 *
 * <p>Immutable once parsed; not meant to be shared between threads.
 */
final class Options {
  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})([smhd])");

  private final List<String> positional;
  private final Map<String, String> values;

  private Options(List<String> positional, Map<String, String> values) {
    this.positional = positional;
    this.values = values;
  }

  /**
   * Parses {@code args}, accepting only the options in {@code valued} (which take a value) and
   * {@code flags} (which do not), both named without the leading dashes.
   */
  static Options parse(List<String> args, Set<String> valued, Set<String> flags) {
    List<String> positional = new ArrayList<>();
    Map<String, String> values = new HashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (!arg.startsWith("--")) {
        positional.add(arg);
        continue;
      }
      int eq = arg.indexOf('=');
      String name = arg.substring(2, eq < 0 ? arg.length() : eq);
      String value;
      if (flags.contains(name) && eq < 0) {
        value = "true";
      } else if (!valued.contains(name)) {
        throw new UsageException("unknown option " + arg);
      } else if (eq >= 0) {
        value = arg.substring(eq + 1);
      } else if (i + 1 < args.size()) {
        value = args.get(++i);
      } else {
        throw new UsageException("--" + name + ": missing value");
      }
      if (values.put(name, value) != null) {
        throw new UsageException("--" + name + ": given twice");
      }
    }
    return new Options(List.copyOf(positional), Map.copyOf(values));
  }

  /** The positional arguments, in order. */
  List<String> positional() {
    return positional;
  }

  /** Whether {@code --name} was given. */
  boolean has(String name) {
    return values.containsKey(name);
  }

  /** The value of {@code --name}, or {@code fallback}. */
  String string(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  /** The value of a required {@code --name}. */
  String required(String name) {
    String value = values.get(name);
    if (value == null) {
      throw new UsageException("--" + name + ": required");
    }
    return value;
  }

  /** An id (user, device, group, room) from text: a positive whole number. */
  static long id(String name, String text) {
    try {
      long id = Long.parseLong(text);
      if (id > 0) {
        return id;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException(name + ": " + text + " (expected: a positive number)");
  }

  /** The port given as {@code --name}, or {@code fallback}; 0 means any free port. */
  int port(String name, int fallback) {
    String text = values.get(name);
    if (text == null) {
      return fallback;
    }
    try {
      int port = Integer.parseInt(text);
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException("--" + name + ": " + text + " (expected: 0-65535)");
  }

  /**
   * The duration given as {@code --name} like {@code 45s}, {@code 30m}, {@code 12h}, {@code 7d}.
   */
  Duration duration(String name, Duration fallback) {
    String text = values.get(name);
    if (text == null) {
      return fallback;
    }
    Matcher m = DURATION.matcher(text);
    if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
      throw new UsageException("--" + name + ": " + text + " (expected: like 45s, 30m, 12h, 7d)");
    }
    long amount = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      default -> Duration.ofDays(amount);
    };
  }
}
