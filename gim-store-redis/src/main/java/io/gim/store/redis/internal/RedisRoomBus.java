package io.gim.store.redis.internal;

import io.gim.spi.GimErrorCode;
import io.gim.spi.GimException;
import io.gim.spi.cluster.RoomBus;
import io.gim.spi.cluster.RoomEvent;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link RoomBus} on Redis pub/sub: events go out with {@code PUBLISH} on one channel (which a
 * Redis Cluster carries to every node) and come in on one pub/sub connection per bus, opened by the
 * first {@link #subscribe} and shared by all its subscriptions. Lettuce subscribes the channel
 * again by itself after a reconnect; events published while the connection is down are lost, as
 * room traffic is live-only.
 *
 * <p>Events are decoded on Lettuce's IO thread and handed to a {@link RoomDispatcher}: listeners
 * run on the bus's own thread ({@code gim-room-bus}), priority room events ahead of queued ordinary
 * ones (broadcasts to everyone are ordinary), and a slow listener only fills a bounded queue.
 * Thread-safe; no method blocks, except {@link #close} briefly.
 */
public final class RedisRoomBus implements RoomBus, AutoCloseable {
  /** How many ordinary events may wait for the listeners before the oldest is dropped. */
  public static final int ORDINARY_CAPACITY = 65_536;

  /** How many priority events may wait for the listeners before the oldest is dropped. */
  public static final int PRIORITY_CAPACITY = 65_536;

  private static final Logger LOG = LoggerFactory.getLogger(RedisRoomBus.class);

  private final RedisTarget target;
  private final byte[] channel;
  private final String clientName;
  private final RoomDispatcher dispatcher;
  private final CopyOnWriteArrayList<Listener> listeners = new CopyOnWriteArrayList<>();
  private final RareLog malformed = new RareLog(LOG, Duration.ofMinutes(1));
  private final RareLog failing = new RareLog(LOG, Duration.ofSeconds(10));

  private final Object lock = new Object();
  private StatefulRedisPubSubConnection<byte[], byte[]> connection; // guarded by lock
  private CompletableFuture<Void> subscribed; // the latest SUBSCRIBE; guarded by lock
  private boolean closed; // guarded by lock

  /** A bus on {@code target}, on the channel {@code <prefix>rooms}. */
  public RedisRoomBus(RedisTarget target, Keys keys) {
    this(target, keys, ORDINARY_CAPACITY, PRIORITY_CAPACITY);
  }

  /** A bus whose listeners' queues hold at most so many ordinary and priority events. */
  public RedisRoomBus(RedisTarget target, Keys keys, int ordinaryCapacity, int priorityCapacity) {
    this.target = Objects.requireNonNull(target, "target");
    this.channel = keys.channel("rooms");
    this.clientName = clientName(keys.prefix());
    this.dispatcher =
        new RoomDispatcher(this::deliver, ordinaryCapacity, priorityCapacity, "gim-room-bus");
  }

  /**
   * The name the bus's pub/sub connection gives itself, {@code gim-roombus-<prefix>}, to be found
   * in {@code CLIENT LIST}. Lettuce does not set it again on the connection after a reconnect.
   */
  public static String clientName(String prefix) {
    StringBuilder name = new StringBuilder("gim-roombus-");
    // CLIENT SETNAME takes printable ASCII without spaces only.
    prefix.chars().forEach(c -> name.append(c > ' ' && c <= '~' ? (char) c : '_'));
    return name.toString();
  }

  @Override
  public CompletableFuture<Void> publish(RoomEvent event) {
    byte[] payload = RoomEvents.encode(Objects.requireNonNull(event, "event"));
    return target.call(c -> c.publish(channel, payload)).thenApply(receivers -> null);
  }

  /**
   * Adds a listener once the bus's subscription is confirmed by Redis; fails with {@code
   * STORE_UNAVAILABLE} (10303) when Redis cannot be reached, and a later call tries again.
   */
  @Override
  public CompletableFuture<Subscription> subscribe(Consumer<RoomEvent> listener) {
    Listener added = new Listener(Objects.requireNonNull(listener, "listener"));
    return subscribed()
        .thenApply(
            ignored -> {
              listeners.add(added);
              return added;
            });
  }

  /** Ordinary and priority events dropped so far because the listeners fell behind. */
  public long dropped() {
    return dispatcher.dropped();
  }

  /** Events waiting for the listeners now. */
  public int queued() {
    return dispatcher.queued();
  }

  private CompletableFuture<Void> subscribed() {
    synchronized (lock) {
      if (closed) {
        return CompletableFuture.failedFuture(new IllegalStateException("room bus closed"));
      }
      if (subscribed == null || subscribed.isCompletedExceptionally()) {
        CompletableFuture<StatefulRedisPubSubConnection<byte[], byte[]>> open =
            connection != null
                ? CompletableFuture.completedFuture(connection)
                // Connecting blocks: on the bus's thread, idle until a subscription exists.
                : CompletableFuture.supplyAsync(this::open, dispatcher.executor());
        subscribed =
            RedisFailures.mapped(
                open.thenCompose(
                    c ->
                        c.async()
                            .subscribe(channel)
                            .toCompletableFuture()
                            .orTimeout(target.timeout().toMillis(), TimeUnit.MILLISECONDS)));
      }
      if (subscribed.isDone() && connection != null && !connection.isOpen()) {
        // Lettuce subscribes again once it has reconnected; until then nothing is live.
        return CompletableFuture.failedFuture(
            new GimException(
                GimErrorCode.STORE_UNAVAILABLE, GimErrorCode.STORE_UNAVAILABLE.defaultMessage()));
      }
      return subscribed;
    }
  }

  private StatefulRedisPubSubConnection<byte[], byte[]> open() {
    StatefulRedisPubSubConnection<byte[], byte[]> c = target.connectPubSub();
    c.addListener(
        new RedisPubSubAdapter<>() {
          @Override
          public void message(byte[] from, byte[] payload) {
            received(from, payload);
          }
        });
    synchronized (lock) {
      if (closed) {
        c.closeAsync();
        throw new IllegalStateException("room bus closed");
      }
      connection = c;
    }
    // Names it for CLIENT LIST; sent ahead of SUBSCRIBE, as RESP2 allows nothing else after.
    c.async()
        .clientSetname(Keys.bytes(clientName))
        .exceptionally(
            failure -> {
              LOG.debug("CLIENT SETNAME on the room bus connection failed", failure);
              return null;
            });
    return c;
  }

  /** On Lettuce's IO thread: decode and queue, never throw. */
  private void received(byte[] from, byte[] payload) {
    if (!Arrays.equals(from, channel)) {
      return;
    }
    RoomEvent event;
    try {
      event = RoomEvents.decode(payload);
    } catch (RuntimeException e) {
      malformed.warn(
          "Dropped a malformed room event of {} bytes: {}", payload.length, e.toString());
      return;
    }
    dispatcher.offer(event);
  }

  /** On the dispatcher's thread: every current listener, each failure its own. */
  private void deliver(RoomEvent event) {
    for (Listener listener : listeners) {
      listener.deliver(event);
    }
  }

  /**
   * Closes the pub/sub connection (ending its subscription) and stops the listeners' thread after
   * the event in hand; idempotent.
   */
  @Override
  public void close() {
    StatefulRedisPubSubConnection<byte[], byte[]> c;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      c = connection;
      connection = null;
    }
    listeners.forEach(Listener::close);
    dispatcher.close();
    if (c != null) {
      c.close();
    }
  }

  private final class Listener implements Subscription {
    private final Consumer<RoomEvent> consumer;
    private volatile boolean stopped;

    Listener(Consumer<RoomEvent> consumer) {
      this.consumer = consumer;
    }

    void deliver(RoomEvent event) {
      if (stopped) {
        return;
      }
      try {
        consumer.accept(event);
      } catch (RuntimeException | LinkageError | AssertionError e) {
        failing.warn("A room listener failed; the others still get the event", e);
      }
    }

    @Override
    public void close() {
      stopped = true;
      listeners.remove(this);
    }
  }
}
