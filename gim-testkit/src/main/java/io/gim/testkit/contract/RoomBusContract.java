package io.gim.testkit.contract;

import static io.gim.testkit.contract.Stages.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.gim.spi.DeviceKey;
import io.gim.spi.cluster.RoomBus;
import io.gim.spi.cluster.RoomBus.Subscription;
import io.gim.spi.cluster.RoomEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The contract of {@link RoomBus}: every subscriber gets every event, a closed subscription stops,
 * a throwing listener harms no other.
 *
 * <p>Extend it and implement {@link #createBus()}; override {@link #closeBus(RoomBus)} to release
 * it. Events carry a random per-test token, so a bus shared across tests (Redis) is fine, and
 * delivery may be asynchronous: tests wait with Awaitility.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
public abstract class RoomBusContract {
  /** The bus under test, created before each test. */
  protected RoomBus bus;

  private String token;
  private final AtomicInteger published = new AtomicInteger();
  private final List<Subscription> subscriptions = new ArrayList<>();

  /** A new bus, or a shared one: events of other tests are filtered out. */
  protected abstract RoomBus createBus() throws Exception;

  /** Releases a bus made by {@link #createBus()}; does nothing by default. */
  protected void closeBus(RoomBus bus) throws Exception {}

  @BeforeEach
  final void setUpBus() throws Exception {
    token = UUID.randomUUID().toString();
    bus = createBus();
  }

  @AfterEach
  final void tearDownBus() throws Exception {
    subscriptions.forEach(Subscription::close);
    closeBus(bus);
  }

  /** Publishes a room event holding this test's token and returns its text. */
  private String publishRoom(long roomId) {
    return publish(
        new RoomEvent.Room(
            roomId, bytes(token + " room #" + published.getAndIncrement()), false, null));
  }

  /** Publishes an event to everyone holding this test's token and returns its text. */
  private String publishAll() {
    return publish(new RoomEvent.All(bytes(token + " all #" + published.getAndIncrement())));
  }

  private String publish(RoomEvent event) {
    await(bus.publish(event));
    return new String(event.message(), StandardCharsets.UTF_8);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Subscribes a listener that records this test's events, and waits until the subscription is
   * live: a bus may subscribe asynchronously, so probes are published until one arrives. Probes are
   * neither recorded nor passed to {@code also}.
   */
  private List<String> subscribe(Consumer<RoomEvent> also) {
    String probePrefix = token + " probe";
    List<String> probes = new CopyOnWriteArrayList<>();
    List<String> received = new CopyOnWriteArrayList<>();
    subscriptions.add(
        bus.subscribe(
                event -> {
                  String text = new String(event.message(), StandardCharsets.UTF_8);
                  if (text.startsWith(probePrefix)) {
                    probes.add(text);
                  } else if (text.startsWith(token)) {
                    received.add(text);
                    also.accept(event);
                  }
                })
            .toCompletableFuture()
            .join());
    // Any probe arriving shows the subscription is live; one per poll covers a lost early one.
    Stages.eventually(
        () -> {
          publish(new RoomEvent.All(bytes(probePrefix + published.getAndIncrement())));
          assertThat(probes).isNotEmpty();
        });
    return received;
  }

  private List<String> subscribe() {
    return subscribe(event -> {});
  }

  @Test
  void everySubscriberGetsEveryPublishedEvent() {
    List<String> first = subscribe();
    List<String> second = subscribe();

    String room = publishRoom(7);
    String all = publishAll();

    Stages.eventually(
        () -> {
          assertThat(first).containsExactly(room, all);
          assertThat(second).containsExactly(room, all);
        });
  }

  @Test
  void eventsKeepTheirFields() {
    List<RoomEvent> events = new CopyOnWriteArrayList<>();
    subscribe(events::add);
    publish(new RoomEvent.Room(9, bytes(token + " x"), true, DeviceKey.of(7, 42)));

    Stages.eventually(() -> assertThat(events).isNotEmpty());
    RoomEvent.Room got = (RoomEvent.Room) events.get(0);
    assertThat(got.roomId()).isEqualTo(9);
    assertThat(got.priority()).isTrue();
    assertThat(got.excluded()).isEqualTo(DeviceKey.of(7, 42));
    assertThat(new String(got.message(), StandardCharsets.UTF_8)).isEqualTo(token + " x");
  }

  @Test
  void aClosedSubscriptionStopsReceiving() {
    List<String> closed = subscribe();
    Subscription handle = subscriptions.get(0);
    List<String> open = subscribe();
    handle.close();
    handle.close();

    String event = publishRoom(7);

    Stages.eventually(() -> assertThat(open).contains(event));
    assertThat(closed).isEmpty();
  }

  @Test
  void aThrowingListenerDoesNotStopTheOthers() {
    subscribe(
        event -> {
          throw new IllegalStateException("a listener failing on purpose");
        });
    List<String> healthy = subscribe();

    String first = publishRoom(7);
    String second = publishAll();

    Stages.eventually(() -> assertThat(healthy).containsExactly(first, second));
  }
}
