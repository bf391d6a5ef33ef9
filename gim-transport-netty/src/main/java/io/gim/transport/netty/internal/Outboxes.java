package io.gim.transport.netty.internal;

import io.netty.channel.EventLoop;
import java.util.concurrent.ConcurrentHashMap;

/** One {@link LoopOutbox} per event loop of a transport. Thread-safe. */
public final class Outboxes {
  private final ConcurrentHashMap<EventLoop, LoopOutbox> byLoop = new ConcurrentHashMap<>();

  /** The outbox of {@code loop}, created on first use. */
  public LoopOutbox of(EventLoop loop) {
    return byLoop.computeIfAbsent(loop, LoopOutbox::new);
  }
}
