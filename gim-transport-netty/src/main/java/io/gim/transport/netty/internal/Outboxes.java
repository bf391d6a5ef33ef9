package io.gim.transport.netty.internal;

import io.netty.channel.EventLoop;
import java.util.concurrent.ConcurrentHashMap;

/** One {@link LoopOutbox} per event loop of a transport. Thread-safe. */
public final class Outboxes {
  private final ConcurrentHashMap<EventLoop, LoopOutbox> byLoop = new ConcurrentHashMap<>();
  private final long maxPendingBytes;

  /**
   * Outboxes that close a channel whose held and unsent bytes pass {@code maxPendingBytes} ({@code
   * Long.MAX_VALUE}: never).
   */
  public Outboxes(long maxPendingBytes) {
    this.maxPendingBytes = maxPendingBytes;
  }

  /** The outbox of {@code loop}, created on first use. */
  public LoopOutbox of(EventLoop loop) {
    return byLoop.computeIfAbsent(loop, l -> new LoopOutbox(l, maxPendingBytes));
  }
}
