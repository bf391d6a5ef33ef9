package io.gim.client.internal;

import java.util.concurrent.CompletionStage;
import java.util.function.LongFunction;

/**
 * Keeps at most one ack in flight: acks offered meanwhile collapse into the newest, sent when the
 * one in flight is answered. Not thread-safe: confined to the client's event loop, where the
 * sender's stages must complete too.
 */
final class AckCoalescer {

  private final LongFunction<CompletionStage<?>> sender;
  private long wanted;
  private boolean dirty;
  private boolean inFlight;

  /**
   * @param sender sends an ack, or returns {@code null} if it cannot now (not signed in)
   */
  AckCoalescer(LongFunction<CompletionStage<?>> sender) {
    this.sender = sender;
  }

  /**
   * Acks {@code seq}, the newest delivered one. Not a running maximum: after an epoch change the
   * cursor starts again from 0 and the acks must follow it down.
   */
  void offer(long seq) {
    wanted = seq;
    dirty = true;
    flush();
  }

  /** Sends the newest unsent ack, if any and none is in flight. */
  void flush() {
    if (!dirty || inFlight) {
      return;
    }
    CompletionStage<?> sent = sender.apply(wanted);
    if (sent == null) {
      return;
    }
    dirty = false;
    inFlight = true;
    sent.whenComplete(
        (ignored, error) -> {
          inFlight = false;
          if (error != null) {
            dirty = true; // retried on the next offer or flush, e.g. after the next sync
          } else {
            flush();
          }
        });
  }
}
