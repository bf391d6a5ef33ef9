package io.gim.bench;

import com.google.protobuf.ByteString;
import io.gim.bench.redis.ClosedLoop;
import io.gim.bench.redis.Cpu;
import io.gim.bench.redis.Measurement;
import io.gim.core.GimServer;
import io.gim.grpc.GrpcApi;
import io.gim.grpc.logic.MessageIntServiceGrpc;
import io.gim.grpc.logic.PushToUsersReply;
import io.gim.grpc.logic.PushToUsersRequest;
import io.gim.spi.AuthResult;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * What GIM's gRPC front door costs over the in-process host API, as ratios in one run: {@code
 * MessageIntService.PushToUsers} (persisted, in-memory stores) to 1 and to 100 receivers, first
 * through {@code server.messages().pushToUsers} from this thread, then through a real gRPC client
 * over loopback to {@link GrpcApi}'s internal port, with the same number of calls in flight. The
 * receivers are offline, so both sides pay the store and nothing else.
 *
 * <p>Client and server share this JVM: the gRPC client's threads ({@code bench-grpc-*}) and the
 * driving thread are read per thread and shown apart as "load", and the server's cost per call is
 * the JVM's CPU less the load's. Both cores' busy figures are printed beside every row.
 *
 * <pre>java -jar gim-bench.jar grpc [--in-flight 64] [--warmup 3] [--seconds 5]
 *     [--payload 100] [--receivers 1,100] [--out gim-bench/results]</pre>
 */
public final class GrpcBench {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private GrpcBench() {}

  /** Runs the four measurements, prints the table, writes the JSON; false if one failed. */
  public static boolean run(Options o) throws Exception {
    int inFlight = o.integer("in-flight", 64);
    Duration warmup = Duration.ofSeconds(o.integer("warmup", 3));
    Duration measured = Duration.ofSeconds(o.integer("seconds", 5));
    byte[] payload = new byte[o.integer("payload", 100)];
    ClosedLoop loop =
        new ClosedLoop(inFlight, warmup, measured, new Cpu(List.of(), GrpcBench::loadCpuSeconds));
    List<Row> rows = new ArrayList<>();
    int[] receiverCounts =
        Arrays.stream(o.str("receivers", "1,100").split(",")).mapToInt(Integer::parseInt).toArray();
    for (int receivers : receiverCounts) {
      // A fresh server (and in-memory store) for every measurement: the heap each one starts with,
      // and so the garbage collector's share, is the same on both sides of a ratio.
      try (Fixture f = new Fixture()) {
        rows.add(
            measure(
                loop,
                "inproc_" + receivers,
                "host API, " + receivers + " receiver(s)",
                n -> f.server.messages().pushToUsers(f.users(receivers), 1, payload, true)));
      }
      try (Fixture f = new Fixture()) {
        MessageIntServiceGrpc.MessageIntServiceStub stub = f.stub();
        rows.add(
            measure(
                loop,
                "grpc_" + receivers,
                "gRPC PushToUsers, " + receivers + " receiver(s)",
                n -> push(stub, request(f.users(receivers), payload))));
      }
    }
    print(rows, inFlight);
    Path out = Path.of(o.str("out", "gim-bench/results"));
    Files.createDirectories(out);
    Path file = out.resolve("grpc-" + System.currentTimeMillis() + ".json");
    Files.writeString(file, Json.write(json(rows, inFlight, payload.length)));
    System.out.println("json: " + file);
    return rows.stream().allMatch(r -> r.m.errors() == 0 && r.m.opsPerSecond() > 0);
  }

  /**
   * One measurement; the load's CPU is read apart by the loop's {@link Cpu}. In process there is no
   * client: the driving thread runs the host API itself, so the whole JVM is the server.
   */
  private record Row(Measurement m, boolean inProcess) {
    double loadCores() {
      return inProcess ? 0 : m.busy().load();
    }

    /** Cores the server side kept busy: the JVM less the load's threads. */
    double serverCores() {
      return Math.max(0, m.busy().bench() - loadCores());
    }

    /** Server CPU microseconds per call. */
    double serverMicrosPerCall() {
      return m.opsPerSecond() == 0 ? -1 : serverCores() / m.opsPerSecond() * 1e6;
    }
  }

  private static Row measure(ClosedLoop loop, String key, String name, ClosedLoop.Op op)
      throws InterruptedException {
    return new Row(loop.run(key, name, 1, op), key.startsWith("inproc"));
  }

  /** CPU seconds of the load: the gRPC client's threads and this (driving) thread. */
  private static double loadCpuSeconds() {
    long nanos = THREADS.getCurrentThreadCpuTime();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("bench-grpc")) {
        nanos += Math.max(0, THREADS.getThreadCpuTime(t.getId()));
      }
    }
    return nanos / 1e9;
  }

  /** A server with its gRPC API on loopback, and a client channel on threads of its own. */
  private static final class Fixture implements AutoCloseable {
    final GimServer server =
        GimServer.builder()
            .auth((u, d, t) -> CompletableFuture.completedFuture(AuthResult.allowed()))
            .build();
    final GrpcApi api = GrpcApi.builder(server).internal("127.0.0.1", 0).build();
    private EventLoopGroup io;
    private ExecutorService callbacks;
    private ManagedChannel channel;
    private long nextUser = 1;

    Fixture() {
      System.gc(); // the previous fixture's garbage is not this one's cost
      server.start().join();
      api.start().join();
    }

    /** The next {@code count} user ids: no two calls in flight append to the same inboxes. */
    List<Long> users(int count) {
      List<Long> ids = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        ids.add(nextUser++ % 1_000_000 + 1);
      }
      return ids;
    }

    MessageIntServiceGrpc.MessageIntServiceStub stub() {
      io =
          new MultiThreadIoEventLoopGroup(
              1, new DefaultThreadFactory("bench-grpc-io", true), NioIoHandler.newFactory());
      callbacks =
          Executors.newSingleThreadExecutor(new DefaultThreadFactory("bench-grpc-exec", true));
      channel =
          NettyChannelBuilder.forAddress("127.0.0.1", api.activePort(GrpcApi.Side.INTERNAL))
              .eventLoopGroup(io)
              .channelType(NioSocketChannel.class)
              .executor(callbacks)
              .usePlaintext()
              .build();
      return MessageIntServiceGrpc.newStub(channel);
    }

    @Override
    public void close() throws InterruptedException {
      if (channel != null) {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        callbacks.shutdownNow();
        io.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
      }
      api.close();
      server.close();
    }
  }

  private static PushToUsersRequest request(List<Long> users, byte[] payload) {
    return PushToUsersRequest.newBuilder()
        .addAllUserIds(users)
        .setCommandValue(1)
        .setContent(ByteString.copyFrom(payload))
        .setIsPersist(true)
        .build();
  }

  private static CompletionStage<PushToUsersReply> push(
      MessageIntServiceGrpc.MessageIntServiceStub stub, PushToUsersRequest request) {
    CompletableFuture<PushToUsersReply> reply = new CompletableFuture<>();
    stub.pushToUsers(
        request,
        new StreamObserver<>() {
          @Override
          public void onNext(PushToUsersReply value) {
            reply.complete(value);
          }

          @Override
          public void onError(Throwable t) {
            reply.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {}
        });
    return reply;
  }

  private static void print(List<Row> rows, int inFlight) {
    System.out.printf(
        Locale.ROOT,
        "%n%-34s %10s %8s %8s %12s %8s %8s %11s%n",
        "gRPC vs host API (" + inFlight + " in flight)",
        "calls/s",
        "p50 ms",
        "p99 ms",
        "server us/call",
        "server",
        "load",
        "cores");
    for (Row r : rows) {
      System.out.printf(
          Locale.ROOT,
          "%-34s %10.0f %8.2f %8.2f %12.1f %8.2f %8.2f %11s%n",
          r.m.name(),
          r.m.opsPerSecond(),
          r.m.p50Millis(),
          r.m.p99Millis(),
          r.serverMicrosPerCall(),
          r.serverCores(),
          r.loadCores(),
          r.m.busy().coresText());
    }
    for (int i = 0; i + 1 < rows.size(); i += 2) {
      Row host = rows.get(i);
      Row grpc = rows.get(i + 1);
      System.out.printf(
          Locale.ROOT,
          "%s: gRPC/host calls/s %.2f, server CPU per call %.2fx%s%n",
          grpc.m.name(),
          grpc.m.opsPerSecond() / host.m.opsPerSecond(),
          grpc.serverMicrosPerCall() / host.serverMicrosPerCall(),
          grpc.m.busy().coresFull() ? " (both cores full: the machine is the limit)" : "");
    }
  }

  private static Map<String, Object> json(List<Row> rows, int inFlight, int payload) {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("bench", "grpc");
    j.put("in_flight", inFlight);
    j.put("payload_bytes", payload);
    for (Row r : rows) {
      String k = r.m.key() + "_";
      j.put(k + "calls_per_s", Math.round(r.m.opsPerSecond()));
      j.put(k + "p50_ms", r.m.p50Millis());
      j.put(k + "p99_ms", r.m.p99Millis());
      j.put(k + "server_us_per_call", r.serverMicrosPerCall());
      j.put(k + "server_cores", r.serverCores());
      j.put(k + "load_cores", r.loadCores());
      j.put(k + "cores", r.m.busy().coresText());
      j.put(k + "errors", r.m.errors());
    }
    return j;
  }
}
