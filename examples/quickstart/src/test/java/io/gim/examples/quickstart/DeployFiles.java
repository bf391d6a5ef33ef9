package io.gim.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/** Reads the files under the repository's {@code deploy/}: YAML documents and Dockerfiles. */
final class DeployFiles {
  private static final Pattern QUOTED = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");

  private DeployFiles() {}

  /** The repository's {@code deploy/} directory (tests run in the module's directory). */
  static Path dir() {
    Path deploy = Path.of("").toAbsolutePath().getParent().getParent().resolve("deploy");
    assertThat(deploy).isDirectory();
    return deploy;
  }

  /** Every YAML document of a file, as maps. */
  static List<Map<String, Object>> documents(Path file) {
    List<Map<String, Object>> docs = new ArrayList<>();
    for (Object doc : new Yaml(new LoaderOptions()).loadAll(read(file))) {
      if (doc != null) {
        docs.add(map(doc));
      }
    }
    return docs;
  }

  /** The Dockerfile's instructions, continuation lines joined, comments dropped. */
  static List<String> instructions(Path dockerfile) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : read(dockerfile).split("\n")) {
      String trimmed = line.strip();
      if (trimmed.startsWith("#") || trimmed.isEmpty()) {
        continue;
      }
      if (trimmed.endsWith("\\")) {
        current.append(trimmed, 0, trimmed.length() - 1).append(' ');
        continue;
      }
      out.add(current.append(trimmed).toString());
      current.setLength(0);
    }
    return out;
  }

  /** The instructions starting with {@code keyword} (e.g. {@code "FROM "}). */
  static List<String> instructions(Path dockerfile, String keyword) {
    return instructions(dockerfile).stream().filter(i -> i.startsWith(keyword)).toList();
  }

  /** The strings of an exec-form (JSON array) instruction such as {@code CMD ["a", "b"]}. */
  static List<String> execForm(String instruction) {
    List<String> words = new ArrayList<>();
    Matcher m = QUOTED.matcher(instruction.substring(instruction.indexOf('[')));
    while (m.find()) {
      words.add(m.group(1));
    }
    return words;
  }

  /** The value after {@code --name} in a command line, or null. */
  static String option(List<String> args, String name) {
    int i = args.indexOf("--" + name);
    return i < 0 || i + 1 >= args.size() ? null : args.get(i + 1);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o) {
    assertThat(o).isInstanceOf(Map.class);
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object o) {
    assertThat(o).isInstanceOf(List.class);
    return (List<Object>) o;
  }

  static List<String> strings(Object o) {
    return list(o).stream().map(String::valueOf).toList();
  }

  /** Follows {@code keys} through nested maps. */
  static Object at(Map<String, Object> root, String... keys) {
    Object o = root;
    for (String key : keys) {
      o = map(o).get(key);
      assertThat(o).as("%s in %s", key, String.join(".", keys)).isNotNull();
    }
    return o;
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
