package io.gim.grpc;

import com.google.protobuf.Empty;
import io.gim.spi.GimErrorCode;
import io.gim.spi.GimException;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Ends unary calls from completion stages: the services start their work, return at once, and the
 * call is answered on whichever thread completes the stage (never blocking a gRPC or Netty thread).
 * Stateless and thread-safe.
 */
final class Calls {
  private Calls() {}

  /**
   * Runs {@code work} and answers the call with its result mapped by {@code reply}; a failure,
   * thrown or in the stage, ends the call with {@link GimStatus#toStatus(Throwable)}.
   */
  static <T, R> void answer(
      Supplier<? extends CompletionStage<T>> work,
      Function<? super T, R> reply,
      StreamObserver<R> out) {
    CompletionStage<T> stage;
    try {
      stage = work.get();
    } catch (RuntimeException e) {
      stage = CompletableFuture.failedFuture(e);
    }
    stage.whenComplete(
        (value, failure) -> {
          if (failure != null) {
            out.onError(GimStatus.toStatus(failure));
            return;
          }
          R message;
          try {
            message = reply.apply(value);
          } catch (RuntimeException e) {
            out.onError(GimStatus.toStatus(e));
            return;
          }
          out.onNext(message);
          out.onCompleted();
        });
  }

  /** {@link #answer} for methods that return {@code google.protobuf.Empty}. */
  static <T> void empty(Supplier<? extends CompletionStage<T>> work, StreamObserver<Empty> out) {
    answer(work, ignored -> Empty.getDefaultInstance(), out);
  }

  /** A failed stage with code 10001 and a fixed text naming the bad field. */
  static <T> CompletionStage<T> badRequest(String message) {
    return CompletableFuture.failedFuture(new GimException(GimErrorCode.BAD_REQUEST, message));
  }

  /**
   * Whether a uint64 id from the wire names something: 1 to 2^63-1, as the engine's ids (a uint64
   * of 2^63 or more arrives as a negative long).
   */
  static boolean isId(long id) {
    return id > 0;
  }

  /** The text for a bad id field: {@code "group_id: 0 (expected: 1 to 2^63-1)"}. */
  static String badId(String field, long value) {
    return field + ": " + Long.toUnsignedString(value) + " (expected: 1 to 2^63-1)";
  }
}
