package io.gim.examples.business;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Checks deploy/ against the business server it runs: its commands in the compose file, the
 * Kubernetes Deployment and the image parse with the server's options, and the health checks and
 * probes hit its Int port. (examples/quickstart's DeployFilesTest checks the rest of deploy/.)
 */
class DeployFilesTest {
  private static final String DEFAULT_INT_PORT = "8011";
  private final Path deploy =
      Path.of("").toAbsolutePath().getParent().getParent().resolve("deploy");

  @Test
  void composeRunsTheBusinessServerOnMariaDbWithItsIntPortUnpublished() throws IOException {
    Map<String, Object> business =
        map(map(yaml(deploy.resolve("docker-compose.yml")).get(0).get("services")).get("business"));
    List<String> args = serverArgs(strings(business.get("command")));
    assertThat(option(args, "host")).isEqualTo("0.0.0.0");
    assertThat(option(args, "jdbc")).startsWith("jdbc:mariadb://mariadb:");
    assertThat(option(args, "int-grpc")).isNull(); // the nodes' --auth-grpc assumes the default
    assertThat(strings(business.get("ports"))).noneMatch(p -> p.endsWith(":" + DEFAULT_INT_PORT));
    assertThat(option(args, "metrics-port")).isEqualTo("9090"); // the image's HEALTHCHECK port
  }

  @Test
  void kubernetesProbesTheHealthEndpointOnTheMetricsPortTheCommandOpens() throws IOException {
    Map<String, Object> deployment =
        yaml(deploy.resolve("k8s/business.yaml")).stream()
            .filter(d -> "Deployment".equals(d.get("kind")))
            .findFirst()
            .orElseThrow();
    Map<String, Object> pod = map(map(map(deployment.get("spec")).get("template")).get("spec"));
    Map<String, Object> container = map(((List<?>) pod.get("containers")).get(0));
    List<String> args = serverArgs(strings(container.get("args")));
    Map<String, String> ports = new java.util.HashMap<>();
    for (Object p : (List<?>) container.get("ports")) {
      ports.put(String.valueOf(map(p).get("name")), String.valueOf(map(p).get("containerPort")));
    }
    assertThat(ports).containsEntry("int-grpc", DEFAULT_INT_PORT);
    assertThat(ports).containsEntry("metrics", option(args, "metrics-port"));
    for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
      Map<String, Object> get = map(map(container.get(probe)).get("httpGet"));
      assertThat(get).containsEntry("path", "/health").containsEntry("port", "metrics");
    }
  }

  @Test
  void dockerfileBuildsTheShadedJarAndChecksTheHealthEndpoint() throws IOException {
    List<String> lines =
        Files.readAllLines(deploy.resolve("docker/business.Dockerfile")).stream()
            .map(String::strip)
            .filter(l -> !l.startsWith("#"))
            .toList();
    Matcher finalName =
        Pattern.compile("<finalName>([^<]+)</finalName>")
            .matcher(Files.readString(Path.of("pom.xml")));
    assertThat(finalName.find()).isTrue();
    String jar = finalName.group(1) + ".jar";
    assertThat(lines)
        .contains("FROM eclipse-temurin:17-jdk AS build", "FROM eclipse-temurin:17-jre");
    assertThat(lines).anyMatch(l -> l.contains("-pl examples/business -am package"));
    assertThat(lines)
        .contains(
            "COPY --from=build /src/examples/business/target/" + jar + " /opt/gim/" + jar,
            "ENTRYPOINT [\"java\", \"-jar\", \"/opt/gim/" + jar + "\"]",
            "CMD [\"bash\", \"/opt/gim/healthcheck.sh\", \"http\", \"9090\", \"/health\"]");
    assertThat(lines).filteredOn(l -> l.startsWith("USER ")).containsExactly("USER 10001:10001");
    String cmd =
        lines.stream().filter(l -> l.startsWith("CMD [\"server\"")).findFirst().orElseThrow();
    List<String> words = new ArrayList<>();
    Matcher quoted = Pattern.compile("\"([^\"]*)\"").matcher(cmd);
    while (quoted.find()) {
      words.add(quoted.group(1));
    }
    assertThat(option(serverArgs(words), "metrics-port")).isEqualTo("9090");
  }

  /** The arguments after {@code server}, parsed with the server's options (throws on a typo). */
  private static List<String> serverArgs(List<String> command) {
    assertThat(command.get(0)).isEqualTo("server");
    List<String> args = command.subList(1, command.size());
    Options.parse("server", args, ServerCommand.OPTIONS);
    return args;
  }

  private static String option(List<String> args, String name) {
    int i = args.indexOf("--" + name);
    return i < 0 || i + 1 >= args.size() ? null : args.get(i + 1);
  }

  private static List<Map<String, Object>> yaml(Path file) throws IOException {
    List<Map<String, Object>> docs = new ArrayList<>();
    for (Object doc : new Yaml(new LoaderOptions()).loadAll(Files.readString(file))) {
      if (doc != null) {
        docs.add(map(doc));
      }
    }
    return docs;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    assertThat(o).isInstanceOf(Map.class);
    return (Map<String, Object>) o;
  }

  private static List<String> strings(Object o) {
    assertThat(o).isInstanceOf(List.class);
    return ((List<?>) o).stream().map(String::valueOf).toList();
  }
}
