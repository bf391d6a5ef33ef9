package io.gim.spi.cluster;

import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * Carries room and broadcast messages to every node, this one included. Nothing is stored: a node
 * that is not subscribed when an event is published never sees it.
 *
 * <p>Thread-safe; no method blocks. Listeners are called on the bus's threads and must not block.
 */
public interface RoomBus {

  /** Publishes an event to every subscribed node. */
  CompletionStage<Void> publish(RoomEvent event);

  /**
   * Subscribes this node. The stage completes once the subscription is live, so that an event
   * published after that reaches it; closing the returned handle unsubscribes.
   */
  CompletionStage<Subscription> subscribe(Consumer<RoomEvent> listener);

  /** A subscription; {@link #close()} is idempotent. */
  interface Subscription extends AutoCloseable {
    @Override
    void close();
  }
}
