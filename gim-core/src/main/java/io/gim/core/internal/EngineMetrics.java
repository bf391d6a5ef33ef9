package io.gim.core.internal;

import io.gim.protocol.PacketCommand;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The engine's meters (docs/operations.md, "Metrics", lists them). Without a host registry they go
 * to an empty composite registry, whose meters do nothing. Thread-safe; every method is cheap (a
 * map lookup at most) and never blocks.
 */
final class EngineMetrics {
  private final MeterRegistry registry;
  private final Map<String, AtomicInteger> open = new ConcurrentHashMap<>();
  private final Map<String, Counter> opened = new ConcurrentHashMap<>();
  private final Map<Long, Counter> requests = new ConcurrentHashMap<>();
  private final TaggedCounters signIns;
  private final TaggedCounters acceptedFromClient;
  private final TaggedCounters acceptedFromHost;
  private final TaggedCounters delivered;
  private final TaggedCounters backpressure;
  private final TaggedCounters slowConsumers;
  private final Map<String, DistributionSummary> fanOut = new ConcurrentHashMap<>();
  private final DistributionSummary syncMessages;

  private EngineMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.signIns =
        new TaggedCounters("gim.signins", "Sign-in attempts by result", Tags.empty(), "result");
    String accepted = "Messages accepted (stored or published), by source and target";
    this.acceptedFromClient =
        new TaggedCounters(
            "gim.messages.accepted", accepted, Tags.of("source", "client"), "target");
    this.acceptedFromHost =
        new TaggedCounters("gim.messages.accepted", accepted, Tags.of("source", "host"), "target");
    this.delivered =
        new TaggedCounters(
            "gim.messages.delivered",
            "Pushes written to connections of this node",
            Tags.empty(),
            "kind");
    this.backpressure =
        new TaggedCounters(
            "gim.backpressure",
            "Times a connection stopped reading: too many requests in flight",
            Tags.empty(),
            null);
    this.slowConsumers =
        new TaggedCounters(
            "gim.slow.consumers",
            "Connections closed for not reading their pushes",
            Tags.empty(),
            null);
    this.syncMessages =
        DistributionSummary.builder("gim.sync.messages")
            .description("Messages per sync page (PC_SYNC and the host API)")
            .register(registry);
  }

  /** Meters in {@code registry}, or meters that record nothing for null. */
  static EngineMetrics of(MeterRegistry registry) {
    return new EngineMetrics(registry != null ? registry : new CompositeMeterRegistry());
  }

  MeterRegistry registry() {
    return registry;
  }

  /** Gauges of things the engine counts anyway: signed-in sessions, rooms in use. */
  void gauges(Supplier<Number> sessions, Supplier<Number> rooms) {
    Gauge.builder("gim.sessions", sessions)
        .description("Signed-in connections on this node")
        .register(registry);
    Gauge.builder("gim.rooms", rooms)
        .description("Rooms with at least one subscriber on this node")
        .register(registry);
  }

  void connectionOpened(String transport) {
    open.computeIfAbsent(
            transport,
            t -> {
              AtomicInteger n = new AtomicInteger();
              Gauge.builder("gim.connections", n, AtomicInteger::get)
                  .description("Open connections, signed in or not")
                  .tag("transport", t)
                  .register(registry);
              return n;
            })
        .incrementAndGet();
    opened
        .computeIfAbsent(
            transport,
            t ->
                Counter.builder("gim.connections.opened")
                    .description("Connections accepted")
                    .tag("transport", t)
                    .register(registry))
        .increment();
  }

  void connectionClosed(String transport) {
    AtomicInteger n = open.get(transport);
    if (n != null) {
      n.decrementAndGet();
    }
  }

  /** A sign-in decided: {@code allowed}, {@code denied} (by the provider) or {@code failed}. */
  void signIn(String result) {
    signIns.of(result).increment();
  }

  /** A request answered with {@code code} (0 ok); sign-ins are counted by {@link #signIn}. */
  void request(PacketCommand command, int code) {
    int number = command == PacketCommand.UNRECOGNIZED ? -1 : command.getNumber();
    long key = ((long) number << 32) | (code & 0xffffffffL);
    requests
        .computeIfAbsent(
            key,
            k ->
                Counter.builder("gim.requests")
                    .description("Requests answered, by command and reply code (0 ok)")
                    .tags(Tags.of("command", commandName(command), "code", Integer.toString(code)))
                    .register(registry))
        .increment();
  }

  /** A message accepted from a client ({@code source=client}) or the host ({@code host}). */
  void accepted(String source, String target) {
    (source.equals("client") ? acceptedFromClient : acceptedFromHost).of(target).increment();
  }

  /** {@code n} pushes written to this node's connections for one message. */
  void delivered(String kind, int n) {
    if (n > 0) {
      delivered.of(kind).increment(n);
    }
  }

  /** How many receivers one message had: inbox users, or a room's subscribers here. */
  void fanOut(String kind, int receivers) {
    fanOut
        .computeIfAbsent(
            kind,
            k ->
                DistributionSummary.builder("gim.fanout.receivers")
                    .description("Receivers per message: users of a stored message, room members")
                    .tag("kind", k)
                    .publishPercentileHistogram()
                    .register(registry))
        .record(receivers);
  }

  void syncPage(int messages) {
    syncMessages.record(messages);
  }

  /** A connection stopped reading: too many requests in flight (a pipelining client slowed). */
  void readsPaused() {
    backpressure.of("").increment();
  }

  /** A connection was closed for not reading its pushes. */
  void slowConsumer() {
    slowConsumers.of("").increment();
  }

  /**
   * The counters of one meter that differ in one tag, made on first use and found by the tag's
   * value alone (the callers pass constants): no key to build on the hot path. A null tag: one
   * untagged counter, under the value {@code ""}.
   */
  private final class TaggedCounters {
    private final Map<String, Counter> byValue = new ConcurrentHashMap<>();
    private final String name;
    private final String description;
    private final Tags fixed;
    private final String tag;

    TaggedCounters(String name, String description, Tags fixed, String tag) {
      this.name = name;
      this.description = description;
      this.fixed = fixed;
      this.tag = tag;
    }

    Counter of(String value) {
      Counter c = byValue.get(value);
      return c != null ? c : byValue.computeIfAbsent(value, this::register);
    }

    private Counter register(String value) {
      Counter.Builder b = Counter.builder(name).description(description).tags(fixed);
      if (tag != null) {
        b.tag(tag, value);
      }
      return b.register(registry);
    }
  }

  private static String commandName(PacketCommand command) {
    if (command == PacketCommand.UNRECOGNIZED || command == PacketCommand.PC_UNKNOWN) {
      return "unknown";
    }
    return command.name().toLowerCase(Locale.ROOT).replaceFirst("^pc_", "");
  }
}
