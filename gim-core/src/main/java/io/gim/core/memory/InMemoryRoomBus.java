package io.gim.core.memory;

import static java.util.concurrent.CompletableFuture.completedFuture;

import io.gim.spi.cluster.RoomBus;
import io.gim.spi.cluster.RoomEvent;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link RoomBus} within one JVM; thread-safe, and no method blocks unless a listener does.
 * {@link #publish} calls every current listener on the publishing thread before it returns; a
 * listener that throws is logged and skipped, so it cannot keep the event from the others.
 */
public final class InMemoryRoomBus implements RoomBus {
  private static final Logger log = LoggerFactory.getLogger(InMemoryRoomBus.class);

  // Copy-on-write: publishes vastly outnumber subscribes, and publish must not hold a lock
  // while listeners run.
  private final CopyOnWriteArrayList<Listener> listeners = new CopyOnWriteArrayList<>();

  /** A bus with no subscribers; thread-safe, non-blocking. */
  public InMemoryRoomBus() {}

  /**
   * Delivers the event to every current subscriber on this thread, then returns a complete stage;
   * thread-safe, and blocks only as long as the listeners do.
   */
  @Override
  public CompletionStage<Void> publish(RoomEvent event) {
    Objects.requireNonNull(event, "event");
    for (Listener listener : listeners) {
      listener.deliver(event);
    }
    return completedFuture(null);
  }

  /**
   * Adds a listener until the returned subscription is closed; thread-safe, non-blocking. A closed
   * subscription receives nothing published after {@code close()} returns.
   */
  @Override
  public CompletionStage<Subscription> subscribe(Consumer<RoomEvent> listener) {
    Listener added = new Listener(Objects.requireNonNull(listener, "listener"));
    listeners.add(added);
    return completedFuture(added);
  }

  private final class Listener implements Subscription {
    private final Consumer<RoomEvent> consumer;
    private final AtomicBoolean closed = new AtomicBoolean();

    Listener(Consumer<RoomEvent> consumer) {
      this.consumer = consumer;
    }

    void deliver(RoomEvent event) {
      if (closed.get()) {
        return;
      }
      try {
        consumer.accept(event);
      } catch (RuntimeException e) {
        log.warn("A room listener failed; the other listeners still get the event", e);
      }
    }

    @Override
    public void close() {
      if (closed.compareAndSet(false, true)) {
        listeners.remove(this);
      }
    }
  }
}
