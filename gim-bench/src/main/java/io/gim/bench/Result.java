package io.gim.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The figures of one scenario run: printed as a table and written as JSON. Not thread-safe. */
final class Result {
  private final Map<String, Object> values = new LinkedHashMap<>();

  Result(String scenario, String target, Options options) {
    values.put("scenario", scenario);
    values.put("target", target);
    values.put("options", options.toString());
    values.put("startedAt", Instant.now().toString());
  }

  Result put(String key, Object value) {
    values.put(key, value);
    return this;
  }

  long count(String key) {
    return ((Number) values.get(key)).longValue();
  }

  /** True when every expected delivery arrived. */
  boolean complete() {
    return !values.containsKey("expected") || count("delivered") == count("expected");
  }

  Map<String, Object> values() {
    return values;
  }

  void print() {
    System.out.println();
    System.out.printf("%-28s %s%n", "metric", "value");
    System.out.println("-".repeat(60));
    values.forEach(
        (k, v) ->
            System.out.printf(
                "%-28s %s%n",
                k,
                v instanceof Double d
                    ? String.format("%,.3f", d)
                    : v instanceof Long l ? String.format("%,d", l) : v));
  }

  /** Writes the JSON file and returns its path. */
  Path write(Path dir) {
    try {
      Files.createDirectories(dir);
      String name =
          values.get("scenario")
              + "-"
              + values.get("target")
              + "-"
              + System.currentTimeMillis()
              + ".json";
      Path file = dir.resolve(name);
      Files.writeString(file, Json.write(values));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
