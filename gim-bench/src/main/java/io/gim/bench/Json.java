package io.gim.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Just enough JSON for result files: flat objects of strings and numbers, and arrays of them.
 * Thread-safe (stateless).
 */
public final class Json {
  private Json() {}

  /** Writes a flat object; numbers as numbers, everything else as strings. */
  public static String write(Map<String, Object> object) {
    return write(object, "\n", "  ");
  }

  /** The same object on one line, for logs a script can grep. */
  public static String line(Map<String, Object> object) {
    return write(object, "", " ").replace("{ ", "{").trim();
  }

  private static String write(Map<String, Object> object, String newline, String indent) {
    StringBuilder sb = new StringBuilder("{").append(newline);
    int i = 0;
    for (Map.Entry<String, Object> e : object.entrySet()) {
      sb.append(indent).append(quote(e.getKey())).append(": ");
      Object v = e.getValue();
      if (v instanceof Number n && Double.isFinite(n.doubleValue())) {
        sb.append(
            n instanceof Double || n instanceof Float
                ? String.format("%.4f", n.doubleValue())
                : n.toString());
      } else {
        sb.append(quote(String.valueOf(v)));
      }
      sb.append(++i < object.size() ? "," : "").append(newline);
    }
    return sb.append("}\n").toString();
  }

  private static String quote(String s) {
    return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
  }

  /**
   * Parses a flat object written by {@link #write}: values are {@code Double} or {@code String}.
   */
  public static Map<String, Object> parse(String text) {
    Map<String, Object> out = new LinkedHashMap<>();
    int[] pos = {text.indexOf('{') + 1};
    while (true) {
      skip(text, pos);
      if (text.charAt(pos[0]) == '}') {
        return out;
      }
      String key = string(text, pos);
      skip(text, pos);
      pos[0]++; // ':'
      skip(text, pos);
      Object value;
      if (text.charAt(pos[0]) == '"') {
        value = string(text, pos);
      } else {
        int start = pos[0];
        while (",}\n ".indexOf(text.charAt(pos[0])) < 0) {
          pos[0]++;
        }
        value = Double.parseDouble(text.substring(start, pos[0]));
      }
      out.put(key, value);
      skip(text, pos);
      if (text.charAt(pos[0]) == ',') {
        pos[0]++;
      }
    }
  }

  private static void skip(String t, int[] pos) {
    while (Character.isWhitespace(t.charAt(pos[0]))) {
      pos[0]++;
    }
  }

  private static String string(String t, int[] pos) {
    StringBuilder sb = new StringBuilder();
    for (int i = pos[0] + 1; ; i++) {
      char c = t.charAt(i);
      if (c == '\\') {
        char n = t.charAt(++i);
        sb.append(n == 'n' ? '\n' : n);
      } else if (c == '"') {
        pos[0] = i + 1;
        return sb.toString();
      } else {
        sb.append(c);
      }
    }
  }

  /** Splits {@code a,b,c} into a list, ignoring blanks. */
  static List<String> list(String csv) {
    List<String> out = new ArrayList<>();
    for (String s : csv.split(",")) {
      if (!s.isBlank()) {
        out.add(s.trim());
      }
    }
    return out;
  }
}
