package io.gim.transport.netty.internal;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

/**
 * How a channel closed for not reading its pushes is marked, so that the engine counts it
 * (gim.slow.consumers). The limits themselves are enforced by {@link SessionBridge} (unsent bytes
 * in Netty's buffer, time unwritable) and {@link ChannelOutbound} (bytes held while unwritable).
 */
final class SlowConsumerGuard {
  private SlowConsumerGuard() {}

  /** Set on a channel closed for not reading: the engine counts it (gim.slow.consumers). */
  static final AttributeKey<Boolean> CLOSED_AS_SLOW = AttributeKey.valueOf("gim.closedAsSlow");

  static void markSlow(Channel channel) {
    channel.attr(CLOSED_AS_SLOW).set(Boolean.TRUE);
  }
}
