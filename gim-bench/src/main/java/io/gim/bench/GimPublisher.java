package io.gim.bench;

import io.netty.channel.Channel;

/** Sends {@code PC_SEND} packets on one load connection, from its event loop. Thread-safe. */
final class GimPublisher implements Publisher {
  private final LoadHandler handler;
  private final Wire.Kind kind;
  private final long targetId;
  private final int payloadBytes;

  GimPublisher(LoadHandler handler, Wire.Kind kind, long targetId, int payloadBytes) {
    this.handler = handler;
    this.kind = kind;
    this.targetId = targetId;
    this.payloadBytes = payloadBytes;
  }

  @Override
  public void publish(int n) {
    Channel ch = handler.channel();
    handler.sent(n);
    ch.eventLoop()
        .execute(
            () -> {
              for (int i = 0; i < n; i++) {
                ch.write(
                    Wire.frame(ch.alloc(), Wire.send(kind, targetId, payloadBytes)),
                    ch.voidPromise());
              }
              ch.flush();
            });
  }

  @Override
  public long inFlight() {
    return handler.inFlight();
  }
}
