package io.gim.store.redis.internal;

import io.gim.spi.cluster.RoomEvent;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands room events from Lettuce's IO thread to the listeners on a thread of its own, so that a
 * slow listener never holds up Redis traffic. Two bounded lanes: priority events go before every
 * ordinary event still queued; past a lane's capacity its oldest event is dropped (room traffic is
 * live-only: late is as good as lost) and counted.
 *
 * <p>One drain task at a time takes events in that order and passes each to the sink, so events of
 * one lane keep their order. Thread-safe; {@link #offer} never blocks.
 */
final class RoomDispatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RoomDispatcher.class);

  private final Consumer<RoomEvent> sink;
  private final int ordinaryCapacity;
  private final int priorityCapacity;
  private final ExecutorService executor;
  private final RareLog dropLog = new RareLog(LOG, Duration.ofSeconds(10));

  private final Object lock = new Object();
  private final ArrayDeque<RoomEvent> priority = new ArrayDeque<>(); // guarded by lock
  private final ArrayDeque<RoomEvent> ordinary = new ArrayDeque<>(); // guarded by lock
  private boolean draining; // a drain task is queued or running; guarded by lock
  private boolean closed; // guarded by lock
  private long dropped; // guarded by lock

  /**
   * @param sink gets every event, on the dispatcher's thread; must not throw
   * @param threadName the name of that thread
   */
  RoomDispatcher(
      Consumer<RoomEvent> sink, int ordinaryCapacity, int priorityCapacity, String threadName) {
    if (ordinaryCapacity < 1) {
      throw new IllegalArgumentException(
          "ordinaryCapacity: " + ordinaryCapacity + " (expected: > 0)");
    }
    if (priorityCapacity < 1) {
      throw new IllegalArgumentException(
          "priorityCapacity: " + priorityCapacity + " (expected: > 0)");
    }
    this.sink = sink;
    this.ordinaryCapacity = ordinaryCapacity;
    this.priorityCapacity = priorityCapacity;
    this.executor =
        Executors.newSingleThreadExecutor(
            task -> {
              Thread t = new Thread(task, threadName);
              t.setDaemon(true);
              return t;
            });
  }

  /** The dispatcher's thread, for the owner's own short jobs (they wait behind a drain). */
  ExecutorService executor() {
    return executor;
  }

  /** Queues an event; never blocks. Does nothing once closed. */
  void offer(RoomEvent event) {
    boolean start;
    long droppedNow = 0;
    synchronized (lock) {
      if (closed) {
        return;
      }
      boolean first = event instanceof RoomEvent.Room room && room.priority();
      ArrayDeque<RoomEvent> lane = first ? priority : ordinary;
      if (lane.size() >= (first ? priorityCapacity : ordinaryCapacity)) {
        lane.pollFirst();
        droppedNow = ++dropped;
      }
      lane.addLast(event);
      start = !draining;
      draining = true;
    }
    if (droppedNow > 0) {
      dropLog.warn(
          "Room events arrive faster than the listeners take them: dropped the oldest queued,"
              + " {} so far",
          droppedNow);
    }
    if (start) {
      start();
    }
  }

  /** Events dropped for a full lane since this dispatcher started. */
  long dropped() {
    synchronized (lock) {
      return dropped;
    }
  }

  /** Events waiting in both lanes. */
  int queued() {
    synchronized (lock) {
      return priority.size() + ordinary.size();
    }
  }

  private void start() {
    try {
      executor.execute(this::drain);
    } catch (RejectedExecutionException e) {
      // Closed meanwhile: the queued events go with it.
    }
  }

  private void drain() {
    boolean finished = false;
    try {
      for (RoomEvent event = next(); event != null; event = next()) {
        sink.accept(event);
      }
      finished = true;
    } finally {
      if (!finished) {
        // Only an Error gets here (the sink catches what listeners throw): keep draining.
        boolean again;
        synchronized (lock) {
          again = !closed && (!priority.isEmpty() || !ordinary.isEmpty());
          draining = again;
        }
        if (again) {
          start();
        }
      }
    }
  }

  /** The next event, priority lane first; null (and no drain running) when both are empty. */
  private RoomEvent next() {
    synchronized (lock) {
      RoomEvent event = closed ? null : priority.pollFirst();
      if (event == null && !closed) {
        event = ordinary.pollFirst();
      }
      if (event == null) {
        draining = false;
      }
      return event;
    }
  }

  /** Drops what is queued and lets the thread end once the event in hand is delivered. */
  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      priority.clear();
      ordinary.clear();
    }
    executor.shutdown();
  }
}
