package io.gim.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.gim.core.GimServer;
import io.gim.core.ListenSpec;
import io.gim.core.memory.InMemoryStores;
import io.gim.protocol.Message;
import io.gim.protocol.PacketCommand;
import io.gim.protocol.Reply;
import io.gim.protocol.SendRequest;
import io.gim.protocol.UserMessagePush;
import io.gim.spi.AuthProvider;
import io.gim.spi.AuthResult;
import io.gim.spi.Stores;
import io.gim.store.jdbc.JdbcStores;
import io.gim.testkit.RecordingClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class GimAutoConfigurationIT {
  private static final Duration WAIT = Duration.ofSeconds(20);

  /** Accepts the token {@code "t<user>"}: enough for tests. */
  static final AuthProvider AUTH =
      (user, device, token) ->
          CompletableFuture.completedFuture(
              token.equals("t" + user) ? AuthResult.allowed() : AuthResult.denied("bad token"));

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(GimAutoConfiguration.class, GimHealthAutoConfiguration.class))
          .withPropertyValues("gim.tcp.host=127.0.0.1", "gim.tcp.port=0");

  private final ApplicationContextRunner withAuth = runner.withBean(AuthProvider.class, () -> AUTH);

  @Test
  void startsARealServerOnPortZeroWhereClientsSignInAndChat() {
    withAuth
        .withPropertyValues(
            "gim.websocket.enabled=true", "gim.websocket.host=127.0.0.1", "gim.websocket.port=0")
        .run(
            context -> {
              assertThat(context).hasNotFailed().hasSingleBean(GimServer.class);
              int tcp = context.getEnvironment().getProperty("local.gim.tcp.port", Integer.class);
              int ws =
                  context.getEnvironment().getProperty("local.gim.websocket.port", Integer.class);
              GimServer server = context.getBean(GimServer.class);
              assertThat(tcp).isPositive().isEqualTo(server.activePort(ListenSpec.Kind.TCP));
              assertThat(ws).isPositive().isEqualTo(server.activePort(ListenSpec.Kind.WEBSOCKET));

              try (RecordingClient alice = RecordingClient.tcp("127.0.0.1", tcp);
                  RecordingClient bob =
                      RecordingClient.websocket(URI.create("ws://127.0.0.1:" + ws + "/ws"))) {
                alice.assertSignedIn(1, 1, "t1");
                bob.assertSignedIn(2, 1, "t2");
                Reply sent = bob.call(PacketCommand.PC_SEND, toUser(1, "hello from bob"));
                assertThat(sent.getCode()).isZero();
                assertThat(text(alice.awaitMessage(m -> true, "bob's message")))
                    .isEqualTo("hello from bob");
                assertThat(alice.signIn(1, 2, "wrong").getCode()).isNotZero();
              }
            });
  }

  @Test
  void refusesToStartWithoutAnAuthProviderAndSaysWhatToDo() {
    runner.run(
        context -> {
          assertThat(context).hasFailed();
          Throwable failure = context.getStartupFailure();
          assertThat(failure)
              .rootCause()
              .isInstanceOf(GimStarterException.class)
              .hasMessageContaining("has no AuthProvider bean");
          assertThat(new GimFailureAnalyzer().analyze(failure).getAction())
              .contains("Define a bean of type io.gim.spi.AuthProvider", "gim.enabled=false");
        });
  }

  @Test
  void createsNothingWhenSwitchedOff() {
    withAuth
        .withPropertyValues("gim.enabled=false")
        .run(
            context ->
                assertThat(context)
                    .hasNotFailed()
                    .doesNotHaveBean(GimServer.class)
                    .doesNotHaveBean(Stores.class)
                    .doesNotHaveBean(GimServerLifecycle.class)
                    .doesNotHaveBean(GimProperties.class)
                    .doesNotHaveBean(GimHealthIndicator.class));
  }

  @Test
  void keepsMessagesInTheApplicationsDataSourceAndLeavesItOpen() throws Exception {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:gim-boot-jdbc;DB_CLOSE_DELAY=-1");
    withAuth
        .withBean(DataSource.class, () -> h2)
        .withPropertyValues("gim.store.type=jdbc")
        .run(
            context -> {
              assertThat(context)
                  .hasNotFailed()
                  .getBean(Stores.class)
                  .isInstanceOf(JdbcStores.class);
              int port = context.getEnvironment().getProperty("local.gim.tcp.port", Integer.class);
              try (RecordingClient alice = RecordingClient.tcp("127.0.0.1", port);
                  RecordingClient bob = RecordingClient.tcp("127.0.0.1", port)) {
                alice.assertSignedIn(1, 1, "t1");
                bob.assertSignedIn(2, 1, "t2");
                assertThat(bob.call(PacketCommand.PC_SEND, toUser(1, "stored")).getCode()).isZero();
                alice.awaitMessage(m -> true, "the stored message");
              }
            });
    // The context is closed, the DataSource is the application's: still open, holding the message.
    assertThat(count(h2, "select count(*) from gim_message")).isEqualTo(1);
    assertThat(count(h2, "select count(*) from gim_user_message where user_id = 1")).isEqualTo(1);
  }

  @Test
  void refusesJdbcStoresWithoutADataSourceAndSaysWhatToDo() {
    withAuth
        .withPropertyValues("gim.store.type=jdbc")
        .run(
            context ->
                assertThat(context.getStartupFailure())
                    .rootCause()
                    .isInstanceOf(GimStarterException.class)
                    .hasMessageContaining("gim.store.type=jdbc")
                    .hasMessageContaining("has no DataSource bean"));
  }

  @Test
  void refusesANegativePortNamingTheProperty() {
    withAuth
        .withPropertyValues("gim.tcp.port=-1")
        .run(
            context ->
                assertThat(context.getStartupFailure())
                    .rootCause()
                    .hasMessage("gim.tcp.port: -1 (expected: 0-65535)"));
  }

  @Test
  void refusesATooSmallFrameLimitNamingTheProperty() {
    withAuth
        .withPropertyValues("gim.limits.max-frame-bytes=1KB")
        .run(
            context ->
                assertThat(context.getStartupFailure())
                    .rootCause()
                    .hasMessage("gim.limits.max-frame-bytes: 1024 (expected: >= 4096)"));
  }

  @Test
  void backsOffWhenTheApplicationHasItsOwnStores() {
    Stores own = InMemoryStores.create();
    withAuth
        .withBean("ownStores", Stores.class, () -> own)
        .run(
            context -> {
              assertThat(context).hasNotFailed().hasSingleBean(Stores.class);
              assertThat(context.getBean(Stores.class)).isSameAs(own);
              GimServer server = context.getBean(GimServer.class);
              assertThat(server.groups()).isSameAs(own.groups());
            });
  }

  @Test
  void closingTheContextReleasesThePortAndLeavesNoGimThread() throws Exception {
    Set<Thread> before = nonDaemonThreads();
    int[] port = new int[1];
    withAuth.run(
        context -> {
          port[0] = context.getEnvironment().getProperty("local.gim.tcp.port", Integer.class);
          try (RecordingClient c = RecordingClient.tcp("127.0.0.1", port[0])) {
            c.assertSignedIn(1, 1, "t1");
          }
          assertThat(gimThreads()).isNotEmpty();
        });

    // run() has closed the context: close() blocks until the server let go of its socket.
    try (ServerSocket again = new ServerSocket()) {
      again.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port[0]));
    }
    await().atMost(WAIT).untilAsserted(() -> assertThat(gimThreads()).isEmpty());
    await()
        .pollInSameThread()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(nonDaemonThreads()).isSubsetOf(before));
  }

  @Test
  void healthIsUpWithConnectionsWhileStartedAndDownOnceStopped() {
    withAuth.run(
        context -> {
          GimHealthIndicator health =
              context.getBean("gimHealthIndicator", GimHealthIndicator.class);
          int port = context.getEnvironment().getProperty("local.gim.tcp.port", Integer.class);
          try (RecordingClient c = RecordingClient.tcp("127.0.0.1", port)) {
            c.assertSignedIn(1, 1, "t1");
            Health up = health.health();
            assertThat(up.getStatus()).isEqualTo(Status.UP);
            assertThat(up.getDetails())
                .containsEntry("connections", 1)
                .containsEntry("listeners", List.of("tcp 127.0.0.1:" + port));
          }
          context.getBean(GimServerLifecycle.class).stop();
          assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
        });
  }

  @Test
  void registersTheEngineMetersInTheApplicationsMeterRegistry() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    withAuth
        .withBean(MeterRegistry.class, () -> registry)
        .withPropertyValues("gim.tcp.port=0", "gim.tcp.host=127.0.0.1")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(registry.get("gim.sessions").gauge().value()).isZero();
              assertThat(registry.get("gim.store.calls").timers()).isNotEmpty();
            });
  }

  @Test
  void leavesOutTheHealthIndicatorWhenSwitchedOff() {
    withAuth
        .withPropertyValues("management.health.gim.enabled=false")
        .run(
            context ->
                assertThat(context).hasNotFailed().doesNotHaveBean(GimHealthIndicator.class));
  }

  static SendRequest toUser(long user, String text) {
    return SendRequest.newBuilder()
        .setToUserId(user)
        .setContent(ByteString.copyFromUtf8(text))
        .build();
  }

  static String text(Message m) throws Exception {
    return UserMessagePush.parseFrom(m.getContent()).getContent().toStringUtf8();
  }

  private static long count(DataSource ds, String sql) throws Exception {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getLong(1);
    }
  }

  private static Set<String> gimThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(n -> n.startsWith("gim-"))
        .collect(Collectors.toSet());
  }

  private static Set<Thread> nonDaemonThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && !t.isDaemon())
        .collect(Collectors.toSet());
  }
}
