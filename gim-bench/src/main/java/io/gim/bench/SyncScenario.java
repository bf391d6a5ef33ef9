package io.gim.bench;

import com.google.protobuf.CodedOutputStream;
import io.gim.client.ClientResources;
import io.gim.client.GimClient;
import io.gim.client.InboxCursor;
import io.gim.protocol.Packet;
import io.gim.protocol.PacketCommand;
import io.gim.protocol.Reply;
import io.gim.protocol.SyncReply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Drains a 10,000-message offline backlog three ways, back to back in each repetition: raw {@code
 * PC_SYNC} requests on a bare connection (one page per round trip), the {@code gim-client} SDK as
 * an application calls it ({@code connect()} until signed in and synced, counting the messages its
 * listener gets), and the floor: the same bytes, page by page, from a plain socket server in the
 * server's process, streamed at once and with one round trip per page. Runs on the calling thread.
 */
final class SyncScenario {
  private final Options o;
  private final String host;
  private final int port;
  private final int controlPort;
  private final long serverPid;
  private final int backlog;
  private final int limit;

  SyncScenario(Options o) {
    this.o = o;
    this.host = o.str("host", "127.0.0.1");
    this.port = o.integer("port", 7000);
    this.controlPort = o.integer("control-port", port + 1);
    this.serverPid = o.longValue("server-pid", 0);
    this.backlog = o.integer("backlog", 10_000);
    this.limit = o.integer("limit", 500);
  }

  /** What one drain saw. */
  private record Drain(
      long messages, long pages, double seconds, double serverCpu, double loadCpu, long epoch) {}

  Result run() {
    int payload = o.integer("payload", 100);
    int repeats = o.integer("repeats", 5);
    int warmups = o.integer("warmups", 3);
    String mode = o.str("mode", "both");
    boolean raw = !mode.equals("sdk");
    boolean sdk = !mode.equals("raw");
    long rawUser = o.longValue("first-user", 1);
    long sdkUser = rawUser + 1;
    Control.ask(host, controlPort, "backlog " + rawUser + " " + backlog + " " + payload);
    Control.ask(host, controlPort, "backlog " + sdkUser + " " + backlog + " " + payload);
    Result r =
        new Result("sync", "gim", o)
            .put("backlog", backlog)
            .put("limit", limit)
            .put("payload", payload)
            .put("mode", mode)
            .put("repeats", repeats);
    List<Drain> raws = new ArrayList<>();
    List<Drain> sdks = new ArrayList<>();
    List<Double> streamed = new ArrayList<>();
    List<Double> turns = new ArrayList<>();
    long delivered = 0;
    try (WireClients c = new WireClients(1, List.of());
        ClientResources io = ClientResources.create(1)) {
      // The raw drain learns the epoch and the reply bytes the floor sends.
      List<Integer> frames = new ArrayList<>();
      Drain first = rawDrain(c, rawUser, frames);
      int[] pages = frames.stream().mapToInt(Integer::intValue).toArray();
      int floorPort =
          Integer.parseInt(
              Control.ask(
                  host,
                  controlPort,
                  "floor "
                      + Arrays.stream(pages)
                          .mapToObj(Integer::toString)
                          .collect(Collectors.joining(","))));
      for (int i = 0; i < warmups + repeats; i++) {
        boolean measured = i >= warmups;
        if (raw) {
          Drain d = rawDrain(c, rawUser, null);
          if (measured) {
            raws.add(d);
            delivered += d.messages();
          }
        }
        if (sdk) {
          Drain d = sdkDrain(io, sdkUser, first.epoch());
          if (measured) {
            sdks.add(d);
            delivered += d.messages();
          }
        }
        double s = FloorServer.read(host, floorPort, pages, false);
        double t = FloorServer.read(host, floorPort, pages, true);
        if (measured) {
          streamed.add(s);
          turns.add(t);
        }
      }
      r.put("expected", (long) backlog * (raws.size() + sdks.size()))
          .put("delivered", delivered)
          .put("pages", first.pages())
          .put("replyBytes", Arrays.stream(pages).asLongStream().sum());
    }
    if (raw) {
      put(r, "", raws);
    }
    if (sdk) {
      put(r, "sdk", sdks);
    }
    r.put("floorStreamSeconds", median(streamed))
        .put("floorStreamRange", range(streamed))
        .put("floorTurnsSeconds", median(turns))
        .put("floorTurnsRange", range(turns));
    return r;
  }

  /** Median figures under {@code seconds}, {@code sdkSeconds}, ... and every run's seconds. */
  private void put(Result r, String prefix, List<Drain> drains) {
    List<Double> seconds = drains.stream().map(Drain::seconds).toList();
    double median = median(seconds);
    String k = prefix.isEmpty() ? "seconds" : prefix + "Seconds";
    r.put(k, median)
        .put(prefix.isEmpty() ? "range" : prefix + "Range", range(seconds))
        .put(prefix.isEmpty() ? "messagesPerSec" : prefix + "MessagesPerSec", backlog / median);
    if (serverPid > 0) {
      r.put(
          prefix.isEmpty() ? "serverCpuSec" : prefix + "ServerCpuSec",
          median(drains.stream().map(Drain::serverCpu).toList()));
    }
    r.put(
        prefix.isEmpty() ? "loadCpuSec" : prefix + "LoadCpuSec",
        median(drains.stream().map(Drain::loadCpu).toList()));
  }

  private static double median(List<Double> values) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  private static String range(List<Double> values) {
    return values.stream().map(v -> String.format("%.3f", v)).collect(Collectors.joining(" "));
  }

  private double cpu() {
    return serverPid > 0 ? ProcStat.cpuSeconds(serverPid) : 0;
  }

  private static double loadCpu() {
    return ProcStat.cpuSeconds(ProcStat.selfPid());
  }

  /**
   * Signs in as {@code user} and pages with PC_SYNC from seq 0 (the user's largest ack; this
   * connection never acks) until has_more is false, one request per reply. Timed from before the
   * connect. {@code frames} collects each reply's frame size, if given.
   */
  private Drain rawDrain(WireClients c, long user, List<Integer> frames) {
    double cpu0 = cpu();
    double load0 = loadCpu();
    long t0 = System.nanoTime();
    LoadHandler h = c.gim(host, port, user, 1, 0, LoadHandler.Mode.DECODE, new Counters()).get(0);
    long[] counts = new long[3]; // messages, pages, epoch; touched on the event loop only
    CompletableFuture<Void> done = new CompletableFuture<>();
    h.onReply(
        p -> {
          try {
            if (p.getCommand() != PacketCommand.PC_SYNC) {
              return;
            }
            if (frames != null) {
              int size = p.getSerializedSize();
              frames.add(size + CodedOutputStream.computeUInt32SizeNoTag(size));
            }
            Reply reply = Reply.parseFrom(p.getContent());
            SyncReply page = SyncReply.parseFrom(reply.getData());
            counts[0] += page.getMessagesCount();
            counts[1]++;
            counts[2] = page.getEpoch();
            if (reply.getCode() != 0 || !page.getHasMore() || page.getMessagesCount() == 0) {
              done.complete(null);
            } else {
              long last = page.getMessages(page.getMessagesCount() - 1).getSeq();
              h.channel().writeAndFlush(Wire.frame(h.channel().alloc(), Wire.sync(last, limit)));
            }
          } catch (Exception e) {
            done.completeExceptionally(e);
          }
        });
    Packet first = Wire.sync(0, limit);
    h.channel().writeAndFlush(Wire.frame(h.channel().alloc(), first));
    done.orTimeout(120, TimeUnit.SECONDS).join();
    double seconds = (System.nanoTime() - t0) / 1e9;
    double cpu = cpu() - cpu0;
    double load = loadCpu() - load0;
    h.channel().close().syncUninterruptibly();
    return new Drain(counts[0], counts[1], seconds, cpu, load, counts[2]);
  }

  /**
   * A {@link GimClient} whose application has a cursor at seq 0 of the store's epoch (so it asks
   * from the start, ignoring the acks of its earlier drains): timed from {@code connect()} until it
   * completes, signed in and synced. Fails unless the listener got every seq once, ascending.
   */
  private Drain sdkDrain(ClientResources io, long user, long epoch) {
    long[] seen = new long[2]; // count, last seq; the listener runs on the client's I/O thread
    boolean[] disorder = new boolean[1];
    GimClient client =
        GimClient.builder()
            .tcp(host, port)
            .credentials(user, 1, "bench")
            .initialCursor(InboxCursor.of(0, epoch))
            .syncPageSize(o.integer("sdk-limit", limit))
            .noReconnect()
            .requestTimeout(Duration.ofSeconds(60))
            .resources(io)
            .listener(
                m -> {
                  disorder[0] |= m.seq() <= seen[1];
                  seen[0]++;
                  seen[1] = m.seq();
                })
            .build();
    try (client) {
      double cpu0 = cpu();
      double load0 = loadCpu();
      long t0 = System.nanoTime();
      client.connect().orTimeout(120, TimeUnit.SECONDS).join();
      double seconds = (System.nanoTime() - t0) / 1e9;
      double cpu = cpu() - cpu0;
      double load = loadCpu() - load0;
      // The listener's writes happened before connect() completed, on the same thread.
      if (disorder[0]) {
        throw new IllegalStateException("the SDK delivered a seq out of order");
      }
      return new Drain(seen[0], 0, seconds, cpu, load, epoch);
    }
  }
}
