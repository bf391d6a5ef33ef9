package io.gim.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code --key value} command-line options with typed defaults. Not thread-safe. */
public final class Options {
  private final Map<String, String> values = new LinkedHashMap<>();

  Options(String[] args, int from) {
    for (int i = from; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) {
        throw new IllegalArgumentException("option: " + a + " (expected: --name value)");
      }
      boolean flag = i + 1 >= args.length || args[i + 1].startsWith("--");
      values.put(a.substring(2), flag ? "true" : args[++i]);
    }
  }

  public Options set(String key, Object value) {
    values.put(key, String.valueOf(value));
    return this;
  }

  public String str(String key, String def) {
    return values.getOrDefault(key, def);
  }

  public int integer(String key, int def) {
    return values.containsKey(key) ? Integer.parseInt(values.get(key).replace("_", "")) : def;
  }

  long longValue(String key, long def) {
    return values.containsKey(key) ? Long.parseLong(values.get(key).replace("_", "")) : def;
  }

  double decimal(String key, double def) {
    return values.containsKey(key) ? Double.parseDouble(values.get(key)) : def;
  }

  boolean flag(String key) {
    return Boolean.parseBoolean(values.getOrDefault(key, "false"));
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    values.forEach((k, v) -> sb.append(" --").append(k).append(' ').append(v));
    return sb.toString().trim();
  }
}
