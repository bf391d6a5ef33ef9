package io.gim.client.internal;

import io.gim.client.GimClientException;
import io.gim.protocol.Packet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Requests waiting for their reply, by request id. Not thread-safe: confined to the client's event
 * loop, which is also the {@code timer} that fails a request after the timeout.
 */
final class PendingRequests {

  private record Entry(CompletableFuture<Packet> future, ScheduledFuture<?> timeout) {}

  private final Map<String, Entry> pending = new HashMap<>();
  private final ScheduledExecutorService timer;
  private final long timeoutNanos;
  private long nextId;

  PendingRequests(ScheduledExecutorService timer, Duration timeout) {
    this.timer = timer;
    this.timeoutNanos = timeout.toNanos();
  }

  /** A request id no other request of this client has used. */
  String nextId() {
    return Long.toString(++nextId);
  }

  /** Waits for the reply to {@code requestId}; the future completes on the timer's thread. */
  CompletableFuture<Packet> register(String requestId, String what) {
    CompletableFuture<Packet> future = new CompletableFuture<>();
    ScheduledFuture<?> timeout =
        timer.schedule(
            () ->
                fail(
                    requestId,
                    new GimClientException(
                        GimClientException.REQUEST_TIMEOUT,
                        what + " got no reply within " + Duration.ofNanos(timeoutNanos))),
            timeoutNanos,
            TimeUnit.NANOSECONDS);
    pending.put(requestId, new Entry(future, timeout));
    return future;
  }

  /** Completes the request the reply answers; false if none waits for it (late or unsolicited). */
  boolean complete(Packet reply) {
    Entry entry = pending.remove(reply.getRequestId());
    if (entry == null) {
      return false;
    }
    entry.timeout.cancel(false);
    entry.future.complete(reply);
    return true;
  }

  void fail(String requestId, Throwable cause) {
    Entry entry = pending.remove(requestId);
    if (entry != null) {
      entry.timeout.cancel(false);
      entry.future.completeExceptionally(cause);
    }
  }

  /** Fails every waiting request, e.g. when the connection is gone. */
  void failAll(Throwable cause) {
    List<String> ids = new ArrayList<>(pending.keySet());
    for (String id : ids) {
      fail(id, cause);
    }
  }
}
