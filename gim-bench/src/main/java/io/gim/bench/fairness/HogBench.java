package io.gim.bench.fairness;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import io.gim.core.GimServer;
import io.gim.core.ListenSpec;
import io.gim.protocol.Packet;
import io.gim.protocol.PacketCommand;
import io.gim.protocol.Reply;
import io.gim.protocol.SendRequest;
import io.gim.protocol.SignInRequest;
import io.gim.protocol.SyncRequest;
import io.gim.spi.AuthResult;
import io.gim.spi.Stores;
import io.gim.store.jdbc.JdbcStores;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * Does a client that pipelines syncs as fast as the server takes them hurt another client's send
 * latency? One victim sends to another user one message at a time and times each reply, first
 * alone, then while hog connections keep their requests in flight full of syncs. The server runs in
 * this process on a JDBC store (H2 files by default, or MariaDB), twice: with the engine's store
 * gate at each of {@code --gates} (64 is the default; 1000000 opens it wide, the behaviour before
 * connections took turns). Figures are ratios within one run; the load shares this process and its
 * cores with the server.
 *
 * <pre>java -jar gim-bench.jar hog [--store h2|mariadb] [--samples 2000] [--hogs 1]
 *     [--gates 16,64,1000000]</pre>
 */
public final class HogBench {
  private static final int PRELOAD = 50;

  private HogBench() {}

  /** Runs both configurations and prints one table; returns whether every request succeeded. */
  public static boolean run(String store, int samples, int hogs, int[] gates) throws Exception {
    System.out.printf(
        Locale.ROOT,
        "hog bench: store=%s samples=%d hogs=%d cores=%d%n",
        store,
        samples,
        hogs,
        Runtime.getRuntime().availableProcessors());
    // A first, unrecorded configuration warms the JIT, so the first recorded one is not slower.
    measure(store, gates[0], samples, hogs);
    boolean ok = true;
    List<String> rows = new ArrayList<>();
    for (int gate : gates) {
      Phase[] phases = measure(store, gate, samples, hogs);
      double ratio = phases[1].p99Millis() / phases[0].p99Millis();
      System.err.printf(Locale.ROOT, "gate %d done: p99 ratio %.1f%n", gate, ratio);
      for (Phase p : phases) {
        rows.add(p.row(gate >= 1_000_000 ? "open (" + gate + ")" : Integer.toString(gate)));
        ok &= p.errors == 0;
      }
      rows.add(String.format(Locale.ROOT, "  -> p99 with hogs / alone: %.1fx", ratio));
    }
    System.out.println(
        "store gate     | phase     | victim p50 ms | p99 ms | max ms | errors | hog replies/s"
            + " | process CPU busy");
    rows.forEach(System.out::println);
    return ok;
  }

  private static Phase[] measure(String store, int gate, int samples, int hogs) throws Exception {
    Path dir = Files.createTempDirectory("gim-hog");
    try (GimServer server =
        GimServer.builder()
            .auth((u, d, t) -> CompletableFuture.completedFuture(AuthResult.allowed()))
            .stores(stores(store, dir))
            .maxStoreRequestsInFlight(gate)
            .tcp("127.0.0.1", 0)
            .build()) {
      server.start().join();
      int port = server.activePort(ListenSpec.Kind.TCP);
      for (int h = 0; h < hogs; h++) {
        for (int i = 0; i < PRELOAD; i++) {
          server
              .messages()
              .pushToUsers(List.of(hogUser(h)), 1, new byte[100], true)
              .toCompletableFuture()
              .join();
        }
      }
      try (Peer victim = new Peer(port, 1)) {
        victim.timeSends(samples / 4, null); // warm-up
        Phase alone = victim.timeSends(samples, null);
        alone.name = "alone";
        List<Hog> running = new ArrayList<>();
        for (int h = 0; h < hogs; h++) {
          running.add(new Hog(port, hogUser(h)));
        }
        victim.timeSends(samples / 4, null);
        Phase withHogs = victim.timeSends(samples, running);
        withHogs.name = "with hogs";
        for (Hog hog : running) {
          hog.close();
          withHogs.errors += hog.errors.get();
        }
        return new Phase[] {alone, withHogs};
      }
    } finally {
      deleteTree(dir);
    }
  }

  private static long hogUser(int h) {
    return 1000 + h;
  }

  private static Stores stores(String store, Path dir) {
    return switch (store) {
      case "h2" -> JdbcStores.h2(dir.resolve("gim"));
      case "mariadb" -> JdbcStores.of("jdbc:mariadb://127.0.0.1:3306/test", "root", "");
      default ->
          throw new IllegalArgumentException("--store: " + store + " (expected: h2|mariadb)");
    };
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** One measured phase of the victim. */
  private static final class Phase {
    final Histogram latency = new Histogram(3_600_000_000_000L, 3);
    String name;
    long errors;
    double hogRepliesPerSecond;
    double cpuBusy;

    double p99Millis() {
      return latency.getValueAtPercentile(99) / 1e6;
    }

    String row(String gate) {
      return String.format(
          Locale.ROOT,
          "%-14s | %-9s | %13.2f | %6.2f | %6.1f | %6d | %13.0f | %.2f of %d cores",
          gate,
          name,
          latency.getValueAtPercentile(50) / 1e6,
          p99Millis(),
          latency.getMaxValue() / 1e6,
          errors,
          hogRepliesPerSecond,
          cpuBusy,
          Runtime.getRuntime().availableProcessors());
    }
  }

  /** A blocking wire client over one socket. Not thread-safe except as {@link Hog} uses it. */
  private static class Peer implements AutoCloseable {
    final Socket socket;
    final OutputStream out;
    final CodedInputStream in;
    private long next;

    Peer(int port, long user) throws IOException {
      socket = new Socket("127.0.0.1", port);
      socket.setTcpNoDelay(true);
      out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
      in = CodedInputStream.newInstance(socket.getInputStream());
      in.setSizeLimit(Integer.MAX_VALUE);
      write(
          PacketCommand.PC_SIGN_IN,
          SignInRequest.newBuilder()
              .setUserId(user)
              .setDeviceId(1)
              .setToken("t")
              .build()
              .toByteString());
      out.flush();
      if (readReply().getCode() != 0) {
        throw new IllegalStateException("sign-in refused");
      }
    }

    void write(PacketCommand command, ByteString content) throws IOException {
      Packet p =
          Packet.newBuilder()
              .setRequestId(Long.toString(++next))
              .setCommand(command)
              .setContent(content)
              .build();
      CodedOutputStream coded = CodedOutputStream.newInstance(out, 64);
      coded.writeUInt32NoTag(p.getSerializedSize());
      p.writeTo(coded);
      coded.flush();
    }

    /** Reads until a reply (pushes are skipped). */
    Reply readReply() throws IOException {
      while (true) {
        int length = in.readUInt32();
        Packet p = Packet.parseFrom(in.readRawBytes(length));
        in.resetSizeCounter();
        if (p.getCommand() != PacketCommand.PC_MESSAGE) {
          return Reply.parseFrom(p.getContent());
        }
      }
    }

    Phase timeSends(int n, List<Hog> hogs) throws IOException {
      Phase phase = new Phase();
      long hogBefore = hogs == null ? 0 : hogs.stream().mapToLong(h -> h.replies.get()).sum();
      long cpuBefore = processCpuNanos();
      long start = System.nanoTime();
      for (int i = 0; i < n; i++) {
        long t0 = System.nanoTime();
        write(
            PacketCommand.PC_SEND,
            SendRequest.newBuilder()
                .setToUserId(2)
                .setContent(ByteString.copyFrom(new byte[100]))
                .build()
                .toByteString());
        out.flush();
        if (readReply().getCode() != 0) {
          phase.errors++;
        }
        phase.latency.recordValue(System.nanoTime() - t0);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      phase.cpuBusy = (processCpuNanos() - cpuBefore) / 1e9 / seconds;
      if (hogs != null) {
        long hogAfter = hogs.stream().mapToLong(h -> h.replies.get()).sum();
        phase.hogRepliesPerSecond = (hogAfter - hogBefore) / seconds;
      }
      return phase;
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** Writes syncs as fast as the server reads them; another thread counts the replies. */
  private static final class Hog extends Peer {
    final AtomicLong replies = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Thread writer;
    private final Thread reader;

    Hog(int port, long user) throws IOException {
      super(port, user);
      ByteString sync = SyncRequest.newBuilder().setSeq(1).setLimit(10).build().toByteString();
      writer =
          new Thread(
              () -> {
                try {
                  while (!stop.get()) {
                    write(PacketCommand.PC_SYNC, sync);
                  }
                  out.flush();
                } catch (IOException e) {
                  // closed at the end
                }
              },
              "hog-writer");
      reader =
          new Thread(
              () -> {
                try {
                  while (true) {
                    if (readReply().getCode() != 0) {
                      errors.incrementAndGet();
                    }
                    replies.incrementAndGet();
                  }
                } catch (IOException e) {
                  // closed at the end
                }
              },
              "hog-reader");
      writer.setDaemon(true);
      reader.setDaemon(true);
      writer.start();
      reader.start();
    }

    @Override
    public void close() throws IOException {
      stop.set(true);
      super.close();
      try {
        writer.join(5_000);
        reader.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
