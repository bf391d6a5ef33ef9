package io.gim.core.internal;

import io.gim.spi.store.AppendRequest;
import io.gim.spi.store.AppendResult;
import io.gim.spi.store.MessageStore;
import io.gim.spi.store.SyncPage;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Times every call the engine makes to its message store ({@code gim.store.calls}, by operation and
 * outcome), whatever the store. Thread-safe; adds two clock reads per call.
 */
final class TimedMessageStore implements MessageStore {
  private final MessageStore store;
  private final Op append;
  private final Op sync;
  private final Op ack;
  private final Op maxAck;

  private TimedMessageStore(MessageStore store, MeterRegistry registry) {
    this.store = store;
    this.append = new Op(registry, "append");
    this.sync = new Op(registry, "sync");
    this.ack = new Op(registry, "ack");
    this.maxAck = new Op(registry, "max_ack");
  }

  /** {@code store} timed in {@code registry}. */
  static MessageStore of(MessageStore store, MeterRegistry registry) {
    return new TimedMessageStore(store, registry);
  }

  @Override
  public CompletionStage<AppendResult> append(AppendRequest request) {
    return append.time(() -> store.append(request));
  }

  @Override
  public CompletionStage<SyncPage> sync(long userId, long afterSeq, int limit) {
    return sync.time(() -> store.sync(userId, afterSeq, limit));
  }

  @Override
  public CompletionStage<Void> ack(long userId, long deviceId, long seq) {
    return ack.time(() -> store.ack(userId, deviceId, seq));
  }

  @Override
  public CompletionStage<Long> maxAck(long userId) {
    return maxAck.time(() -> store.maxAck(userId));
  }

  /** The two timers of one operation. */
  private static final class Op {
    private final Timer ok;
    private final Timer failed;

    Op(MeterRegistry registry, String op) {
      this.ok = timer(registry, op, "ok");
      this.failed = timer(registry, op, "error");
    }

    private static Timer timer(MeterRegistry registry, String op, String outcome) {
      return Timer.builder("gim.store.calls")
          .description("Message store calls: from the call to its completion")
          .tag("op", op)
          .tag("outcome", outcome)
          .publishPercentileHistogram()
          .register(registry);
    }

    <T> CompletionStage<T> time(Supplier<CompletionStage<T>> call) {
      long start = System.nanoTime();
      CompletionStage<T> stage;
      try {
        stage = call.get();
      } catch (RuntimeException e) {
        failed.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        throw e;
      }
      stage.whenComplete(
          (v, e) ->
              (e == null ? ok : failed)
                  .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS));
      return stage;
    }
  }
}
