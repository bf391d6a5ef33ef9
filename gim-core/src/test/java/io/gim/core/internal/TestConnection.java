package io.gim.core.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import io.gim.core.transport.Connection;
import io.gim.core.transport.ConnectionHandler;
import io.gim.protocol.Packet;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;

/**
 * A {@link Connection} in memory, for driving the engine without sockets. Its "thread" is a queue
 * of tasks that the test runs with {@link #runPending()}, so every hop back to the connection is a
 * visible, deterministic step. Closing queues {@code onClosed} the way a transport's
 * channel-inactive would. Packets sent from any thread are recorded in order, with their lane.
 */
final class TestConnection implements Connection {
  private static long nextId;

  private final long id = ++nextId;
  private final ArrayDeque<Runnable> tasks; // guarded by itself: it may be shared
  private final Executor executor;
  private final List<Sent> sent = new ArrayList<>();
  private final List<Runnable> scheduled = new ArrayList<>();
  private ConnectionHandler handler;
  private boolean open = true;
  private boolean readsPaused;
  private int pauses;

  /** A connection with a thread of its own. */
  TestConnection() {
    this.tasks = new ArrayDeque<>();
    this.executor = this::execute;
  }

  /** A connection sharing the thread of {@code other}, as connections share an event loop. */
  TestConnection(TestConnection other) {
    this.tasks = other.tasks;
    this.executor = other.executor;
  }

  /** One packet the engine sent, decoded, and whether it took the priority lane. */
  record Sent(Packet packet, boolean priority) {}

  void attach(ConnectionHandler handler) {
    this.handler = handler;
  }

  /** A frame arrives from the peer: handled on the connection's thread, like a transport does. */
  void receive(Packet packet) {
    byte[] frame = packet.toByteArray();
    execute(() -> handler.onFrame(frame));
  }

  /** A frame of raw bytes arrives from the peer. */
  void receive(byte[] frame) {
    execute(() -> handler.onFrame(frame));
  }

  /** Runs this connection's queued tasks until none is left; returns whether any ran. */
  boolean runPending() {
    boolean ran = false;
    Runnable task;
    while ((task = pollTask()) != null) {
      task.run();
      ran = true;
    }
    return ran;
  }

  /** Runs the next queued task, if any; returns whether one ran. */
  boolean runOne() {
    Runnable task = pollTask();
    if (task != null) {
      task.run();
    }
    return task != null;
  }

  private Runnable pollTask() {
    synchronized (tasks) {
      return tasks.poll();
    }
  }

  /** Runs the tasks scheduled with {@link #schedule} so far, as if their delay had passed. */
  void fireScheduled() {
    List<Runnable> due;
    synchronized (this) {
      due = new ArrayList<>(scheduled);
      scheduled.clear();
    }
    due.forEach(
        task ->
            execute(
                () -> {
                  if (open) {
                    task.run();
                  }
                }));
  }

  synchronized List<Sent> sent() {
    return List.copyOf(sent);
  }

  /** The packets sent so far, decoded, and forgets them. */
  synchronized List<Packet> takeSent() {
    List<Packet> packets = sent.stream().map(Sent::packet).toList();
    sent.clear();
    return packets;
  }

  synchronized boolean readsPaused() {
    return readsPaused;
  }

  synchronized int pauses() {
    return pauses;
  }

  @Override
  public long id() {
    return id;
  }

  @Override
  public String remoteAddress() {
    return "test#" + id;
  }

  @Override
  public void send(byte[] packet) {
    record(packet, false);
  }

  @Override
  public void sendPriority(byte[] packet) {
    record(packet, true);
  }

  private synchronized void record(byte[] packet, boolean priority) {
    if (!open) {
      return;
    }
    try {
      sent.add(new Sent(Packet.parseFrom(packet), priority));
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("the engine sent bytes that are not a Packet", e);
    }
  }

  @Override
  public synchronized void close() {
    if (open) {
      open = false;
      execute(handler::onClosed);
    }
  }

  @Override
  public synchronized boolean isOpen() {
    return open;
  }

  @Override
  public Executor executor() {
    return executor;
  }

  private void execute(Runnable task) {
    synchronized (tasks) {
      tasks.add(task);
    }
  }

  @Override
  public synchronized void pauseReads() {
    readsPaused = true;
    pauses++;
  }

  @Override
  public synchronized void resumeReads() {
    readsPaused = false;
  }

  @Override
  public synchronized Future<?> schedule(Duration delay, Runnable task) {
    scheduled.add(task);
    CompletableFuture<Void> timer = new CompletableFuture<>();
    timer.whenComplete((ok, cancelled) -> unschedule(task));
    return timer;
  }

  private synchronized void unschedule(Runnable task) {
    scheduled.remove(task);
  }

  /** How many scheduled tasks are still pending (neither fired nor cancelled). */
  synchronized int scheduledCount() {
    return scheduled.size();
  }
}
