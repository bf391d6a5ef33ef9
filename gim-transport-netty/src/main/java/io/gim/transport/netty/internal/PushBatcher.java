package io.gim.transport.netty.internal;

import io.gim.spi.GimErrorCode;
import io.gim.spi.GimException;
import io.gim.spi.cluster.NodeLink.DeviceMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Pushes to one node, coalesced: at most {@code window} calls in flight, and whatever arrives
 * meanwhile waits (bounded) and leaves in the next call as one batch, the way a server coalesces
 * writes to a busy connection. Under load a node gets fewer, larger calls instead of refusals; past
 * the bound, pushes fail with {@code BUSY} (the messages are stored; devices sync them).
 *
 * <p>Thread-safe. A waiting push's stage completes with the call that carried it.
 */
public final class PushBatcher {
  private final int window;
  private final int maxQueued;
  private final int maxBatchBytes;
  private final Function<List<DeviceMessage>, CompletableFuture<Void>> send;

  // Guarded by this.
  private int inFlight;
  private final List<DeviceMessage> queued = new ArrayList<>();
  private final List<Waiter> waiters = new ArrayList<>();

  private record Waiter(int upTo, CompletableFuture<Void> done) {}

  /**
   * @param window calls in flight at most
   * @param maxQueued device messages waiting at most
   * @param maxBatchBytes message bytes per call at most (a single larger message goes alone)
   * @param send makes one call with a batch; its stage completes when the call ends
   */
  public PushBatcher(
      int window,
      int maxQueued,
      int maxBatchBytes,
      Function<List<DeviceMessage>, CompletableFuture<Void>> send) {
    this.window = window;
    this.maxQueued = maxQueued;
    this.maxBatchBytes = maxBatchBytes;
    this.send = send;
  }

  /** Sends now if the window has room, else queues behind the calls in flight. */
  public CompletableFuture<Void> deliver(List<DeviceMessage> messages) {
    synchronized (this) {
      if (inFlight >= window) {
        if (queued.size() + messages.size() > maxQueued) {
          return CompletableFuture.failedFuture(
              new GimException(GimErrorCode.BUSY, "node link: too many pushes waiting"));
        }
        queued.addAll(messages);
        CompletableFuture<Void> done = new CompletableFuture<>();
        waiters.add(new Waiter(queued.size(), done));
        return done;
      }
      inFlight++;
    }
    return start(messages);
  }

  private CompletableFuture<Void> start(List<DeviceMessage> batch) {
    CompletableFuture<Void> call;
    try {
      call = send.apply(batch);
    } catch (RuntimeException e) {
      call = CompletableFuture.failedFuture(e);
    }
    call.whenComplete((ok, failure) -> next());
    return call;
  }

  /** A call ended: the next batch of waiting pushes takes its place in the window. */
  private void next() {
    List<DeviceMessage> batch;
    List<CompletableFuture<Void>> carried = new ArrayList<>();
    synchronized (this) {
      if (queued.isEmpty()) {
        inFlight--;
        return;
      }
      int count = 0;
      int bytes = 0;
      while (count < queued.size()
          && (count == 0 || bytes + queued.get(count).message().length <= maxBatchBytes)) {
        bytes += queued.get(count).message().length;
        count++;
      }
      // Only whole pushes leave: extend to the end of the last push the batch touches.
      int cut = count;
      for (Waiter w : waiters) {
        if (w.upTo() >= cut) {
          cut = w.upTo();
          break;
        }
      }
      batch = new ArrayList<>(queued.subList(0, cut));
      queued.subList(0, cut).clear();
      List<Waiter> remaining = new ArrayList<>();
      for (Waiter w : waiters) {
        if (w.upTo() <= cut) {
          carried.add(w.done());
        } else {
          remaining.add(new Waiter(w.upTo() - cut, w.done()));
        }
      }
      waiters.clear();
      waiters.addAll(remaining);
    }
    start(batch)
        .whenComplete(
            (ok, failure) -> {
              for (CompletableFuture<Void> done : carried) {
                if (failure == null) {
                  done.complete(null);
                } else {
                  done.completeExceptionally(failure);
                }
              }
            });
  }
}
