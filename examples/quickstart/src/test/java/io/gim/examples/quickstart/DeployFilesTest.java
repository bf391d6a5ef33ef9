package io.gim.examples.quickstart;

import static io.gim.examples.quickstart.DeployFiles.at;
import static io.gim.examples.quickstart.DeployFiles.documents;
import static io.gim.examples.quickstart.DeployFiles.execForm;
import static io.gim.examples.quickstart.DeployFiles.instructions;
import static io.gim.examples.quickstart.DeployFiles.list;
import static io.gim.examples.quickstart.DeployFiles.map;
import static io.gim.examples.quickstart.DeployFiles.option;
import static io.gim.examples.quickstart.DeployFiles.strings;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Checks deploy/ against the quickstart server it runs: every command parses with the server's
 * options, health checks and probes hit the port the command opens, secrets stay out of the files
 * and the unauthenticated ports stay private. No image is built and nothing is started here.
 */
class DeployFilesTest {
  private static final Pattern VARIABLE = Pattern.compile("\\$\\(([A-Z_]+)\\)");
  private static final Pattern INTERPOLATION = Pattern.compile("\\$\\{[A-Z_]+(:?[?-][^}]*)?}");

  private final Path deploy = DeployFiles.dir();

  @Test
  void composeNodesFormAClusterThatSignsInThroughTheBusinessServer() {
    Map<String, Object> services = map(at(compose(), "services"));
    assertThat(services).containsKeys("mariadb", "redis", "business", "node1", "node2");
    List<String> business = strings(at(map(services.get("business")), "command"));
    String intPort =
        Stream.of(option(business, "int-grpc")).filter(p -> p != null).findFirst().orElse("8011");
    for (String name : List.of("node1", "node2")) {
      Map<String, Object> node = map(services.get(name));
      List<String> args = serverArgs(strings(at(node, "command")));
      assertThat(option(args, "host")).isEqualTo("0.0.0.0");
      // Other nodes reach this one by its name on the compose network.
      assertThat(option(args, "advertised-host")).isEqualTo(node.get("hostname")).isEqualTo(name);
      assertThat(option(args, "link-port")).isNotNull();
      assertThat(option(args, "redis")).startsWith("redis://redis:");
      assertThat(option(args, "jdbc")).startsWith("jdbc:mariadb://mariadb:");
      assertThat(option(args, "auth-grpc")).isEqualTo("business:" + intPort);
      assertThat(option(args, "metrics-port")).isEqualTo(healthPort());
      // --auth-grpc refuses a secret, and GIM_SECRET would be one.
      assertThat(String.valueOf(node.get("environment"))).doesNotContain("GIM_SECRET");
      assertThat(strings(node.get("ports")))
          .allSatisfy(
              p ->
                  assertThat(p.substring(p.lastIndexOf(':') + 1))
                      .isIn(option(args, "tcp-port"), option(args, "ws-port")));
      assertThat(seconds(String.valueOf(node.get("stop_grace_period")))).isGreaterThan(60);
      assertThat(at(node, "depends_on", "business", "condition")).isEqualTo("service_healthy");
    }
    assertThat(strings(map(services.get("business")).get("ports")))
        .noneMatch(p -> p.endsWith(":" + intPort));
  }

  @Test
  void composeTakesEveryPasswordFromTheEnvironmentAndNeverPutsOneOnACommandLine() {
    int found = 0;
    for (Object s : map(at(compose(), "services")).values()) {
      Map<String, Object> service = map(s);
      if (service.get("environment") != null) {
        for (Map.Entry<String, Object> e : map(service.get("environment")).entrySet()) {
          if (e.getKey().contains("PASSWORD") || e.getKey().contains("SECRET")) {
            assertThat(String.valueOf(e.getValue())).as(e.getKey()).matches(INTERPOLATION);
            found++;
          }
        }
      }
      if (service.get("command") != null) {
        // ps would show it: the servers read GIM_JDBC_PASSWORD instead.
        assertThat(option(strings(service.get("command")), "jdbc-password")).isNull();
      }
    }
    // MariaDB's two, and GIM_JDBC_PASSWORD of the business server and of the two nodes.
    assertThat(found).isEqualTo(5);
  }

  @Test
  void kubernetesDeploymentsHaveProbesNonRootResourcesAndTimeToClose() {
    List<Map<String, Object>> deployments = kind("Deployment");
    assertThat(deployments).hasSizeGreaterThanOrEqualTo(2);
    for (Map<String, Object> d : deployments) {
      Map<String, Object> pod = map(at(d, "spec", "template", "spec"));
      assertThat(at(pod, "securityContext", "runAsNonRoot")).isEqualTo(true);
      assertThat((Integer) at(pod, "securityContext", "runAsUser")).isPositive();
      // The server's close() takes up to 60 s.
      assertThat((Integer) pod.get("terminationGracePeriodSeconds")).isGreaterThan(60);
      for (Object c : list(pod.get("containers"))) {
        Map<String, Object> container = map(c);
        assertThat(container).containsKeys("readinessProbe", "livenessProbe");
        assertThat(map(at(container, "resources", "requests"))).containsKeys("cpu", "memory");
        assertThat(at(container, "securityContext", "allowPrivilegeEscalation")).isEqualTo(false);
        List<String> args = strings(container.get("args"));
        Set<String> defined = new java.util.HashSet<>();
        for (Object e : list(container.get("env"))) {
          defined.add(String.valueOf(map(e).get("name")));
        }
        for (String arg : args) {
          Matcher m = VARIABLE.matcher(arg);
          while (m.find()) {
            assertThat(defined).as("env of %s", arg).contains(m.group(1));
          }
        }
        // The password reaches the server through GIM_JDBC_PASSWORD, from a Secret, never as an
        // argument (ps would show it).
        assertThat(option(args, "jdbc-password")).isNull();
        assertThat(envSource(container, "GIM_JDBC_PASSWORD")).containsKey("secretKeyRef");
      }
    }
  }

  @Test
  void everyDeploymentHasADisruptionBudget() {
    List<Object> budgeted = new ArrayList<>();
    for (Map<String, Object> pdb : kind("PodDisruptionBudget")) {
      budgeted.add(at(pdb, "spec", "selector", "matchLabels"));
    }
    for (Map<String, Object> d : kind("Deployment")) {
      assertThat(budgeted).contains(at(d, "spec", "selector", "matchLabels"));
      assertThat((Integer) at(d, "spec", "replicas")).isGreaterThan(1);
    }
  }

  @Test
  void kubernetesNodesRunTheQuickstartAsAClusterWithHealthProbes() {
    Map<String, Object> node = deployment("gim-node");
    Map<String, Object> container =
        map(list(at(node, "spec", "template", "spec", "containers")).get(0));
    List<String> args = serverArgs(strings(container.get("args")));
    assertThat(option(args, "host")).isEqualTo("0.0.0.0");
    assertThat(option(args, "advertised-host")).isEqualTo("$(POD_IP)");
    assertThat(at(envSource(container, "POD_IP"), "fieldRef", "fieldPath"))
        .isEqualTo("status.podIP");
    assertThat(option(args, "auth-grpc")).isNotNull();
    Map<String, Integer> ports = containerPorts(container);
    assertThat(ports.get("tcp")).hasToString(option(args, "tcp-port"));
    assertThat(ports.get("ws")).hasToString(option(args, "ws-port"));
    assertThat(ports.get("link")).hasToString(option(args, "link-port"));
    for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
      Map<String, Object> get = map(at(container, probe, "httpGet"));
      assertThat(get.get("path")).isEqualTo("/health");
      assertThat(ports.get(String.valueOf(get.get("port"))))
          .hasToString(option(args, "metrics-port"));
    }
  }

  @Test
  void unauthenticatedPortsHaveNoPublicService() {
    // The node link and the business server's Int port trust every caller.
    Set<Integer> privatePorts = Set.of(7001, 8011);
    for (Map<String, Object> service : kind("Service")) {
      for (Object p : list(at(service, "spec", "ports"))) {
        Object port = map(p).get("port");
        if (privatePorts.contains(port)) {
          assertThat(map(service.get("spec")).getOrDefault("type", "ClusterIP"))
              .as("type of the Service on %s", port)
              .isEqualTo("ClusterIP");
        }
      }
    }
    assertThat(kind("NetworkPolicy")).isNotEmpty();
  }

  @Test
  void kustomizationListsEveryManifest() throws IOException {
    Path k8s = deploy.resolve("k8s");
    List<String> files;
    try (Stream<Path> s = Files.list(k8s)) {
      files =
          s.map(p -> p.getFileName().toString())
              .filter(n -> n.endsWith(".yaml") && !n.equals("kustomization.yaml"))
              .sorted()
              .toList();
    }
    Map<String, Object> kustomization = documents(k8s.resolve("kustomization.yaml")).get(0);
    assertThat(strings(kustomization.get("resources"))).containsExactlyInAnyOrderElementsOf(files);
  }

  @Test
  void dockerfileBuildsTheShadedJarAndRunsItAsNonRootWithAHealthCheck() {
    Path dockerfile = deploy.resolve("docker/quickstart.Dockerfile");
    List<String> from = instructions(dockerfile, "FROM ");
    assertThat(from.get(0)).isEqualTo("FROM eclipse-temurin:17-jdk AS build");
    assertThat(from.get(from.size() - 1)).isEqualTo("FROM eclipse-temurin:17-jre");
    assertThat(instructions(dockerfile, "RUN "))
        .anyMatch(r -> r.contains("-pl examples/quickstart -am package"));
    String finalName = pomFinalName();
    assertThat(instructions(dockerfile, "COPY --from=build "))
        .containsExactly(
            "COPY --from=build /src/examples/quickstart/target/"
                + finalName
                + ".jar /opt/gim/"
                + finalName
                + ".jar");
    assertThat(execForm(instructions(dockerfile, "ENTRYPOINT ").get(0)))
        .containsExactly("java", "-jar", "/opt/gim/" + finalName + ".jar");
    List<String> user = instructions(dockerfile, "USER ");
    assertThat(user).hasSize(1);
    assertThat(user.get(0)).doesNotContain("root").doesNotMatch("USER 0(:.*)?");
    List<String> healthcheck = execForm(instructions(dockerfile, "HEALTHCHECK ").get(0));
    assertThat(healthcheck)
        .containsExactly("bash", "/opt/gim/healthcheck.sh", "http", healthPort(), "/health");
    assertThat(deploy.resolve("docker/healthcheck.sh")).isRegularFile();
    List<String> cmd = serverArgs(execForm(instructions(dockerfile, "CMD ").get(0)));
    assertThat(option(cmd, "metrics-port")).isEqualTo(healthPort());
    assertThat(instructions(dockerfile, "EXPOSE ").get(0)).contains(healthPort());
    assertThat(instructions(dockerfile, "ENV "))
        .noneMatch(e -> e.contains("SECRET") || e.contains("PASSWORD"));
  }

  /** The port of the image's HEALTHCHECK, which the commands must open as --metrics-port. */
  private String healthPort() {
    List<String> check =
        execForm(
            instructions(deploy.resolve("docker/quickstart.Dockerfile"), "HEALTHCHECK ").get(0));
    return check.get(check.indexOf("http") + 1);
  }

  /** The arguments after {@code server}, checked against the server's options. */
  private static List<String> serverArgs(List<String> command) {
    assertThat(command.get(0)).isEqualTo("server");
    List<String> args = command.subList(1, command.size());
    Options.parse(args, QuickstartServer.OPTIONS, QuickstartServer.FLAGS); // throws on a typo
    return args;
  }

  private String pomFinalName() {
    String pom = DeployFiles.read(Path.of("pom.xml"));
    Matcher m = Pattern.compile("<finalName>([^<]+)</finalName>").matcher(pom);
    assertThat(m.find()).isTrue();
    return m.group(1);
  }

  private Map<String, Object> compose() {
    return documents(deploy.resolve("docker-compose.yml")).get(0);
  }

  private List<Map<String, Object>> kind(String kind) {
    List<Map<String, Object>> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(deploy.resolve("k8s"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
        documents(f).stream().filter(d -> kind.equals(d.get("kind"))).forEach(out::add);
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out;
  }

  private Map<String, Object> deployment(String name) {
    return kind("Deployment").stream()
        .filter(d -> name.equals(at(d, "metadata", "name")))
        .findFirst()
        .orElseThrow();
  }

  private static Map<String, Object> envSource(Map<String, Object> container, String name) {
    for (Object e : list(container.get("env"))) {
      if (name.equals(map(e).get("name"))) {
        return map(map(e).get("valueFrom"));
      }
    }
    throw new AssertionError("no env " + name);
  }

  private static Map<String, Integer> containerPorts(Map<String, Object> container) {
    Map<String, Integer> ports = new HashMap<>();
    for (Object p : list(container.get("ports"))) {
      ports.put(String.valueOf(map(p).get("name")), (Integer) map(p).get("containerPort"));
    }
    return ports;
  }

  private static long seconds(String duration) {
    assertThat(duration).matches("\\d+s");
    return Long.parseLong(duration.substring(0, duration.length() - 1));
  }
}
