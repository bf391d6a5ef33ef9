package io.gim.examples.business;

import io.gim.core.ListenSpec;
import io.gim.examples.admin.AdminEndpoint;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;

/**
 * The {@code server} sub-command: a {@link BusinessServer} on an H2 file database under {@code
 * ./data} (or MariaDB/PostgreSQL with {@code --jdbc}), until the JVM is asked to stop (Ctrl-C).
 * Prints one stable line for scripts and tests, e.g. {@code GIM business listening:
 * tcp=127.0.0.1:8001 ws=ws://127.0.0.1:8002/ws ext-grpc=127.0.0.1:8010 int-grpc=127.0.0.1:8011}.
 */
final class ServerCommand {
  /** The options of {@code server} (deploy/ checks its commands against them). */
  static final Set<String> OPTIONS =
      Set.of(
          "data",
          "jdbc",
          "jdbc-user",
          "jdbc-password",
          "host",
          "tcp",
          "ws",
          "ext-grpc",
          "int-grpc",
          "dev-code",
          "token-ttl",
          "metrics-port");

  private ServerCommand() {}

  static int run(List<String> args, PrintStream out, PrintStream err) {
    Options options = Options.parse("server", args, OPTIONS);
    if (options.has("data") && options.has("jdbc")) {
      throw new UsageException("server: give --data or --jdbc, not both");
    }
    String host = options.string("host", "127.0.0.1");
    if (host.isBlank()) {
      throw new UsageException("--host: empty (expected: an address such as 127.0.0.1)");
    }
    try {
      InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new UsageException("--host: " + host + " (unknown host)");
    }
    String devCode = options.string("dev-code", "0000");
    if (devCode.isEmpty()) {
      throw new UsageException("--dev-code: empty");
    }
    int metricsPort = options.has("metrics-port") ? options.port("metrics-port", 0) : -1;
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    BusinessServer.Builder builder =
        BusinessServer.builder()
            .meterRegistry(metrics)
            .host(host)
            .ports(options.port("tcp", 8001), options.port("ws", 8002))
            .grpcPorts(options.port("ext-grpc", 8010), options.port("int-grpc", 8011))
            .codeVerifier(CodeVerifier.fixed(devCode))
            .tokenTtl(options.duration("token-ttl", Duration.ofDays(90)));
    String kept;
    if (options.has("jdbc")) {
      String url = options.required("jdbc");
      if (!url.startsWith("jdbc:")) {
        throw new UsageException(
            "--jdbc: " + url + " (expected: jdbc:mariadb://host:port/db or jdbc:postgresql://...)");
      }
      // The password from the environment too, so that it is not on the command line (ps).
      String password =
          options.string("jdbc-password", System.getenv().getOrDefault("GIM_JDBC_PASSWORD", ""));
      builder.jdbc(url, options.string("jdbc-user", ""), password);
      kept = "Users, friends, tokens and messages are kept in " + url + ".";
    } else {
      Path data = Path.of(options.string("data", "data")).toAbsolutePath().normalize();
      builder.h2(data.resolve("gim"));
      kept = "Users, friends, tokens and messages are kept in " + data + " (H2).";
    }
    BusinessServer server;
    try {
      server = builder.build();
    } catch (RuntimeException e) {
      err.println("server: cannot open the database: " + e.getMessage());
      return 1;
    }
    try {
      server.start().join();
    } catch (CompletionException e) {
      server.close();
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      err.println("server: cannot listen on " + host + ": " + cause);
      return 1;
    }
    AdminEndpoint admin;
    try {
      admin =
          metricsPort < 0
              ? null
              : AdminEndpoint.start(host, metricsPort, metrics::scrape, server::isRunning);
    } catch (IOException e) {
      server.close();
      err.println("server: cannot listen on " + host + " port " + metricsPort + ": " + e);
      return 1;
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  if (admin != null) {
                    admin.close();
                  }
                  server.close();
                },
                "gim-business-shutdown"));
    String h = host.contains(":") ? "[" + host + "]" : host;
    out.println(
        "GIM business listening: tcp="
            + h
            + ":"
            + server.activePort(ListenSpec.Kind.TCP)
            + " ws=ws://"
            + h
            + ":"
            + server.activePort(ListenSpec.Kind.WEBSOCKET)
            + "/ws ext-grpc="
            + h
            + ":"
            + server.extPort()
            + " int-grpc="
            + h
            + ":"
            + server.intPort());
    out.println(kept);
    if (admin != null) {
      out.println(
          "Metrics: http://"
              + h
              + ":"
              + admin.port()
              + "/metrics (Prometheus), health: http://"
              + h
              + ":"
              + admin.port()
              + "/health");
    }
    out.println(
        "Sign-in code: "
            + (options.has("dev-code") ? "the one given with --dev-code" : "0000")
            + " (a development code for every phone number; a real deployment sends SMS codes).");
    out.println("Press Ctrl-C to stop.");
    out.flush();
    server.blockUntilShutdown();
    return 0;
  }
}
