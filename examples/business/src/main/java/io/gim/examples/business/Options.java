package io.gim.examples.business;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code --name value} (or {@code --name=value}) options of one sub-command; every mistake is a
 * {@link UsageException} naming the option. Immutable once parsed; not meant to be shared.
 */
final class Options {
  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})([smhd])");

  private final Map<String, String> values;

  private Options(Map<String, String> values) {
    this.values = values;
  }

  /** Parses {@code args}, accepting only the options named in {@code valued} (without dashes). */
  static Options parse(String command, List<String> args, Set<String> valued) {
    Map<String, String> values = new HashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (!arg.startsWith("--")) {
        throw new UsageException(command + ": unexpected argument " + arg);
      }
      int eq = arg.indexOf('=');
      String name = arg.substring(2, eq < 0 ? arg.length() : eq);
      if (!valued.contains(name)) {
        throw new UsageException(command + ": unknown option " + arg);
      }
      String value;
      if (eq >= 0) {
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
    return new Options(Map.copyOf(values));
  }

  boolean has(String name) {
    return values.containsKey(name);
  }

  String string(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  String required(String name) {
    String value = values.get(name);
    if (value == null) {
      throw new UsageException("--" + name + ": required");
    }
    return value;
  }

  /** A required positive id. */
  long id(String name) {
    return id("--" + name, required(name));
  }

  /** A comma-separated list of positive ids, empty if the option is absent. */
  List<Long> ids(String name) {
    List<Long> ids = new ArrayList<>();
    if (has(name)) {
      for (String part : required(name).split(",", -1)) {
        ids.add(id("--" + name, part.strip()));
      }
    }
    return ids;
  }

  /** An id from text: a positive whole number. */
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

  /** An int option, or {@code fallback}. */
  int integer(String name, int fallback) {
    String text = values.get(name);
    if (text == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new UsageException("--" + name + ": " + text + " (expected: a whole number)");
    }
  }

  /** A duration like {@code 45s}, {@code 30m}, {@code 12h}, {@code 90d}, or {@code fallback}. */
  Duration duration(String name, Duration fallback) {
    String text = values.get(name);
    if (text == null) {
      return fallback;
    }
    Matcher m = DURATION.matcher(text);
    if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
      throw new UsageException("--" + name + ": " + text + " (expected: like 45s, 30m, 12h, 90d)");
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
