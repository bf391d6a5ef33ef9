package io.gim.bench;

import io.gim.bench.peers.PeerRoom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The load scenarios: idle, chat, group, room and sync, against GIM ({@code --target gim}), the
 * relay floor ({@code relay}) or, for rooms, nats-server and mosquitto ({@code nats}, {@code
 * mqtt}). Each returns its figures; runs on the calling thread.
 */
final class Scenarios {
  private final Options o;
  private final String host;
  private final int port;
  private final int controlPort;
  private final long serverPid;
  private final int payload;

  Scenarios(Options o) {
    this.o = o;
    this.host = o.str("host", "127.0.0.1");
    this.port = o.integer("port", 7000);
    this.controlPort = o.integer("control-port", port + 1);
    this.serverPid = o.longValue("server-pid", 0);
    this.payload = o.integer("payload", 100);
  }

  Result run(String scenario) {
    return switch (scenario) {
      case "idle" -> idle();
      case "chat" -> chat();
      case "group" -> group();
      case "room" -> room();
      case "sync" -> sync();
      default ->
          throw new IllegalArgumentException(
              "scenario: " + scenario + " (expected: idle, chat, group, room, sync)");
    };
  }

  private String target() {
    return o.str("target", "gim");
  }

  private WireClients clients() {
    return new WireClients(o.integer("load-threads", 1), Json.list(o.str("source-ips", "")));
  }

  /** N signed-in connections; the server's heap after GC and RSS per connection. */
  private Result idle() {
    int conns = o.integer("conns", 1000);
    Result r = new Result("idle", target(), o);
    Map<String, Object> loadBase = Control.memory();
    try (WireClients c = clients()) {
      long t0 = System.nanoTime();
      c.gim(
          host,
          port,
          o.longValue("first-user", 1),
          conns,
          0,
          LoadHandler.Mode.COUNT,
          new Counters());
      r.put("connections", conns).put("setupSeconds", (System.nanoTime() - t0) / 1e9);
      Map<String, Object> load = Control.memory();
      r.put("loadHeapPerConnection", perConnection(load, loadBase, "heapUsed", conns));
      if (o.flag("measure")) {
        int expect = o.integer("expect", conns);
        awaitServerConnections(expect, true);
        Map<String, Object> base = Json.parse(Control.ask(host, controlPort, "baseline"));
        Map<String, Object> now = Json.parse(Control.ask(host, controlPort, "memory"));
        r.put("serverConnections", expect)
            .put("serverHeapPerConnection", perConnection(now, base, "heapUsed", expect))
            .put("serverRssPerConnection", perConnection(now, base, "rss", expect))
            .put("serverHeapUsed", ((Number) now.get("heapUsed")).longValue())
            .put("serverRss", ((Number) now.get("rss")).longValue())
            .put("serverOpenFiles", ((Number) now.get("openFiles")).longValue());
      }
      sleep(o.decimal("hold", 0));
    }
    if (o.flag("mark")) {
      // A warm-up run: once its connections are gone, the server's memory is the new baseline.
      awaitServerConnections(0, false);
      Control.ask(host, controlPort, "mark");
    }
    return r;
  }

  private static double perConnection(
      Map<String, Object> now, Map<String, Object> base, String key, int n) {
    return (((Number) now.get(key)).doubleValue() - ((Number) base.get(key)).doubleValue()) / n;
  }

  private void awaitServerConnections(int expect, boolean atLeast) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
    for (int n;
        (n = Integer.parseInt(Control.ask(host, controlPort, "connections"))) != expect
            && (!atLeast || n < expect); ) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("server never reached " + expect + " connections");
      }
      sleep(0.2);
    }
  }

  /** Pairs of users; the first of each sends to the second. */
  private Result chat() {
    int pairs = o.integer("pairs", 50);
    Result r = new Result("chat", target(), o).put("pairs", pairs).put("payload", payload);
    Counters counters = new Counters();
    try (WireClients c = clients()) {
      List<LoadHandler> users =
          c.gim(
              host,
              port,
              o.longValue("first-user", 1),
              2 * pairs,
              0,
              LoadHandler.Mode.SCAN,
              counters);
      List<LoadHandler> senders = new ArrayList<>();
      List<SendTemplate> sends = new ArrayList<>();
      for (int i = 0; i < users.size(); i += 2) {
        senders.add(users.get(i));
        sends.add(new SendTemplate(Wire.Kind.USER, users.get(i + 1).userId, payload));
      }
      new Driver("chat " + target(), 1, true, counters, o, LoopPacer.of(senders, sends, counters))
          .run(r, serverPid);
    }
    return r;
  }

  /** One sender in a group whose members are all online. */
  private Result group() {
    int size = o.integer("size", 100);
    long first = o.longValue("first-user", 1);
    long groupId =
        Long.parseLong(
            Control.ask(
                host,
                controlPort,
                "group " + o.longValue("group-id", size) + " " + first + " " + size));
    Result r = new Result("group", target(), o).put("size", size).put("payload", payload);
    Counters counters = new Counters();
    try (WireClients c = clients()) {
      List<LoadHandler> members =
          c.gim(host, port, first, size, 0, LoadHandler.Mode.SCAN, counters);
      SendTemplate send = new SendTemplate(Wire.Kind.GROUP, groupId, payload);
      List<LoopPacer> pacers = LoopPacer.of(List.of(members.get(0)), List.of(send), counters);
      new Driver("group " + size, size - 1, true, counters, o, pacers).run(r, serverPid);
    }
    return r;
  }

  /** One publisher, N subscribers that only frame and count. */
  private Result room() {
    int subscribers = o.integer("subscribers", 100);
    Result r =
        new Result("room", target(), o).put("subscribers", subscribers).put("payload", payload);
    Counters counters = new Counters();
    try (WireClients c = clients()) {
      if (target().equals("nats") || target().equals("mqtt")) {
        try (Publisher p = PeerRoom.connect(target(), c, o, subscribers, counters)) {
          new Driver("room " + target(), List.of(p), subscribers, false, counters, o)
              .run(r, serverPid);
        }
        return r;
      }
      long first = o.longValue("first-user", 1);
      long roomId = o.longValue("room-id", 1);
      LoadHandler pub = c.gim(host, port, first, 1, 0, LoadHandler.Mode.SCAN, counters).get(0);
      c.gim(host, port, first + 1, subscribers, roomId, LoadHandler.Mode.COUNT, counters);
      SendTemplate send = new SendTemplate(Wire.Kind.ROOM, roomId, payload);
      List<LoopPacer> pacers = LoopPacer.of(List.of(pub), List.of(send), counters);
      new Driver("room " + target(), subscribers, true, counters, o, pacers).run(r, serverPid);
    }
    return r;
  }

  /** Drains an offline backlog: raw PC_SYNC, the SDK and the floor ({@link SyncScenario}). */
  private Result sync() {
    return new SyncScenario(o).run();
  }

  static void sleep(double seconds) {
    long end = System.nanoTime() + (long) (seconds * 1e9);
    while (System.nanoTime() < end) {
      LockSupport.parkNanos(end - System.nanoTime());
    }
  }
}
