package io.gim.examples.business;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.gim.core.GimServer;
import io.gim.core.ListenSpec;
import io.gim.grpc.ExtAuth;
import io.gim.grpc.GrpcApi;
import io.gim.grpc.GrpcMeters;
import io.gim.grpc.business.UserExtServiceGrpc;
import io.gim.spi.GimErrorCode;
import io.gim.spi.SendDecision;
import io.gim.spi.SendPolicy;
import io.gim.spi.SendTarget;
import io.gim.store.jdbc.JdbcStores;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.NettyServerBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GIM's business server on one database: a {@link GimServer} (TCP and WebSocket, JDBC stores) whose
 * sign-ins are checked against the tokens this server issues, and two gRPC ports: the Ext port for
 * end-user clients ({@code UserExtService}, {@code FriendExtService}, {@code GroupExtService},
 * authenticated by metadata {@code user_id}, {@code device_id}, {@code token} except SignIn) and
 * the Int port for trusted backends ({@code UserIntService}). Sends over the long connection to a
 * user are allowed between friends only, as {@code SendMessage} is.
 *
 * <pre>{@code
 * try (BusinessServer server = BusinessServer.builder().h2(Path.of("data/gim")).build()) {
 *   server.start().join();
 *   server.blockUntilShutdown();
 * }
 * }</pre>
 *
 * <p>Thread-safe. {@link #build} blocks while it connects and creates missing tables; {@link
 * #close()} blocks until the ports, threads, stores and the pool it made are released, and is
 * idempotent.
 */
public final class BusinessServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BusinessServer.class);
  private static final AtomicInteger GRPC_THREADS = new AtomicInteger();

  private final HikariDataSource ownPool;
  private final BusinessDb db;
  private final JdbcStores stores;
  private final GimServer gim;
  private final ExecutorService grpcExecutor;
  private final Server ext;
  private final Server intServer;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final CompletableFuture<Void> terminated = new CompletableFuture<>();

  private BusinessServer(Builder b) {
    this.ownPool = pool(b);
    List<AutoCloseable> opened = new ArrayList<>(List.of(ownPool));
    try {
      this.db = BusinessDb.open(ownPool, b.dbThreads, 10_000);
      opened.add(0, db);
      this.stores =
          JdbcStores.builder()
              .dataSource(ownPool)
              .maxPoolSize(b.storeThreads)
              .meterRegistry(b.meterRegistry)
              .build();
      opened.add(0, stores);
    } catch (RuntimeException e) {
      closeAll(opened);
      throw e;
    }
    UserRepository users = new UserRepository(db, b.clock);
    FriendRepository friends = new FriendRepository(db, b.clock);
    Tokens tokens = new Tokens(new TokenRepository(db), b.clock, b.tokenTtl, b.authCacheTtl);
    try {
      this.gim =
          GimServer.builder()
              .meterRegistry(b.meterRegistry)
              .auth(tokens)
              .sendPolicy(friendsOnly(friends))
              .stores(stores)
              .clock(b.clock)
              .tcp(b.host, b.tcpPort)
              .websocket(b.host, b.wsPort, "/ws")
              .build();
    } catch (RuntimeException e) {
      closeAll(opened);
      throw e;
    }
    this.grpcExecutor =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "biz-grpc-" + GRPC_THREADS.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    ExtAuth auth =
        ExtAuth.except(tokens, Set.of(UserExtServiceGrpc.getSignInMethod().getFullMethodName()));
    // GIM's logic services over the same server: MessageExtService (authenticated by the same
    // tokens) joins the Ext port, MessageInt/GroupInt/RoomInt/DeviceInt the Int port.
    GrpcApi logic = GrpcApi.builder(gim).auth(tokens).build();
    // The Ext port: end-user services, every call but SignIn authenticated; the Int port: trusted
    // backends only.
    List<ServerServiceDefinition> extServices = new ArrayList<>(logic.externalServices());
    extServices.add(auth.intercept(new UserExtApi(users, tokens, b.codes, gim.devices())));
    extServices.add(auth.intercept(new FriendExtApi(users, friends, gim.messages())));
    extServices.add(auth.intercept(new GroupExtApi(users, gim.groups(), gim.messages())));
    List<ServerServiceDefinition> intServices = new ArrayList<>(logic.internalServices());
    intServices.add(new UserIntApi(users, tokens).bindService());
    // Outermost, so that calls the Ext auth refuses are timed too (gim.grpc.calls).
    GrpcMeters meters = new GrpcMeters(b.meterRegistry);
    extServices.replaceAll(s -> ServerInterceptors.intercept(s, meters));
    intServices.replaceAll(s -> ServerInterceptors.intercept(s, meters));
    this.ext = grpc(b, b.extGrpcPort, extServices);
    this.intServer = grpc(b, b.intGrpcPort, intServices);
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts the long-connection listeners, then the two gRPC ports. The future fails (and the server
   * closes itself) if one cannot be bound.
   */
  public CompletableFuture<Void> start() {
    return gim.start()
        .thenRun(
            () -> {
              try {
                ext.start();
                intServer.start();
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            })
        .whenComplete(
            (ok, failure) -> {
              if (failure != null) {
                CompletableFuture.runAsync(this::close);
              }
            });
  }

  /** Whether it serves: started, not closing, both gRPC ports up; for health checks. */
  public boolean isRunning() {
    return gim.isRunning() && !closed.get() && !ext.isShutdown() && !intServer.isShutdown();
  }

  /** The embedded IM server (messages, groups, devices of the host API). */
  public GimServer gim() {
    return gim;
  }

  /** The bound port of a long-connection listener; for port 0. */
  public int activePort(ListenSpec.Kind kind) {
    return gim.activePort(kind);
  }

  /** The bound Ext gRPC port. */
  public int extPort() {
    return ext.getPort();
  }

  /** The bound Int gRPC port. */
  public int intPort() {
    return intServer.getPort();
  }

  /** The IM stores (for tests that read inboxes). */
  JdbcStores stores() {
    return stores;
  }

  /** Blocks until {@link #close()} has finished. */
  public void blockUntilShutdown() {
    terminated.join();
  }

  /**
   * Stops the gRPC ports (calls in flight get 5 s), the IM server and its stores, the business
   * database's threads and the pool; idempotent, blocks.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      terminated.join();
      return;
    }
    try {
      for (Server s : List.of(ext, intServer)) {
        s.shutdown();
      }
      for (Server s : List.of(ext, intServer)) {
        if (!s.awaitTermination(5, TimeUnit.SECONDS)) {
          s.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      gim.close(); // closes the stores too
      grpcExecutor.shutdownNow();
      closeAll(List.of(db, ownPool));
      terminated.complete(null);
    }
  }

  private static void closeAll(List<AutoCloseable> resources) {
    for (AutoCloseable c : resources) {
      try {
        c.close();
      } catch (Exception e) {
        log.warn("closing {} failed", c, e);
      }
    }
  }

  /** Sends to a user over the long connection only between friends (10210 otherwise). */
  private static SendPolicy friendsOnly(FriendRepository friends) {
    return attempt -> {
      if (!(attempt.target() instanceof SendTarget.User to)) {
        return CompletableFuture.completedFuture(SendDecision.allow());
      }
      return friends
          .areFriends(attempt.senderUserId(), to.userId())
          .thenApply(
              ok ->
                  ok
                      ? SendDecision.allow()
                      : SendDecision.refuse(
                          GimErrorCode.FRIEND_NOT_FOUND.code(), "friend not found"));
    };
  }

  private Server grpc(Builder b, int port, List<ServerServiceDefinition> services) {
    NettyServerBuilder server =
        NettyServerBuilder.forAddress(new InetSocketAddress(b.host, port))
            .executor(grpcExecutor)
            .maxInboundMessageSize(b.maxMessageBytes)
            .maxInboundMetadataSize(8 * 1024);
    services.forEach(server::addService);
    return server.build();
  }

  private static HikariDataSource pool(Builder b) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("biz-jdbc-pool");
    config.setJdbcUrl(b.url);
    config.setUsername(b.user);
    config.setPassword(b.password);
    // Shared by the IM stores' threads and the business threads: one connection each.
    config.setMaximumPoolSize(b.storeThreads + b.dbThreads);
    config.setConnectionTimeout(5_000);
    config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
    config.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(b.meterRegistry));
    return new HikariDataSource(config);
  }

  /** Settings of a {@link BusinessServer}; validated by {@link #build()}. Not thread-safe. */
  public static final class Builder {
    private String url;
    private String user = "";
    private String password = "";
    private String host = "127.0.0.1";
    private int tcpPort = 8001;
    private int wsPort = 8002;
    private int extGrpcPort = 8010;
    private int intGrpcPort = 8011;
    private CodeVerifier codes = CodeVerifier.fixed("0000");
    private Duration tokenTtl = Duration.ofDays(90);
    private Duration authCacheTtl = Duration.ofSeconds(10);
    private Clock clock = Clock.systemUTC();
    private int maxMessageBytes = 1024 * 1024 + 4 * 1024;
    private int storeThreads = 8;
    private int dbThreads = 4;
    private MeterRegistry meterRegistry = new CompositeMeterRegistry();

    private Builder() {}

    /**
     * Where the server, its stores, its pool and its gRPC ports register their meters; default an
     * empty composite registry (meters that record nothing).
     */
    public Builder meterRegistry(MeterRegistry registry) {
      this.meterRegistry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /** An H2 file database at {@code path} (H2 adds {@code .mv.db}). */
    public Builder h2(Path path) {
      return jdbc("jdbc:h2:file:" + path.toAbsolutePath(), "sa", "");
    }

    /**
     * A database (H2, MariaDB/MySQL, PostgreSQL) for both the IM stores and the business tables.
     */
    public Builder jdbc(String url, String user, String password) {
      this.url = Objects.requireNonNull(url, "url");
      this.user = Objects.requireNonNull(user, "user");
      this.password = Objects.requireNonNull(password, "password");
      return this;
    }

    /** The address every port listens on; default 127.0.0.1. */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /** The long-connection ports (0: any free port); default 8001 and 8002 ({@code /ws}). */
    public Builder ports(int tcp, int webSocket) {
      this.tcpPort = tcp;
      this.wsPort = webSocket;
      return this;
    }

    /** The gRPC ports for end-user (Ext) and trusted (Int) calls; default 8010 and 8011. */
    public Builder grpcPorts(int extPort, int intPort) {
      this.extGrpcPort = extPort;
      this.intGrpcPort = intPort;
      return this;
    }

    /** The sign-in code check; default: the fixed development code {@code 0000}. */
    public Builder codeVerifier(CodeVerifier codes) {
      this.codes = Objects.requireNonNull(codes, "codes");
      return this;
    }

    /** How long an issued token is valid; default 90 days (GIM: three months). */
    public Builder tokenTtl(Duration ttl) {
      this.tokenTtl = Objects.requireNonNull(ttl, "tokenTtl");
      return this;
    }

    /** How long an accepted token is remembered without a database read; default 10 s, 0: off. */
    public Builder authCacheTtl(Duration ttl) {
      this.authCacheTtl = Objects.requireNonNull(ttl, "authCacheTtl");
      return this;
    }

    /** The clock of tokens, profiles and messages; default UTC system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The largest gRPC request accepted, in bytes; default 1 MiB + 4 KiB. */
    public Builder maxMessageBytes(int bytes) {
      this.maxMessageBytes = bytes;
      return this;
    }

    /** Validates, connects, creates the missing tables; blocks. Nothing listens before start. */
    public BusinessServer build() {
      if (url == null) {
        throw new IllegalArgumentException("database: set h2(path) or jdbc(url, user, password)");
      }
      for (int port : new int[] {tcpPort, wsPort, extGrpcPort, intGrpcPort}) {
        if (port < 0 || port > 65535) {
          throw new IllegalArgumentException("port: " + port + " (expected: 0-65535)");
        }
      }
      if (tokenTtl.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new IllegalArgumentException("tokenTtl: " + tokenTtl + " (expected: >= 1 s)");
      }
      if (authCacheTtl.isNegative()) {
        throw new IllegalArgumentException("authCacheTtl: " + authCacheTtl + " (expected: >= 0)");
      }
      if (maxMessageBytes < 4096) {
        throw new IllegalArgumentException(
            "maxMessageBytes: " + maxMessageBytes + " (expected: >= 4096)");
      }
      return new BusinessServer(this);
    }
  }
}
