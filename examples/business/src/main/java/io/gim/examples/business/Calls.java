package io.gim.examples.business;

import io.gim.grpc.GimStatus;
import io.gim.spi.GimErrorCode;
import io.gim.spi.GimException;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The bridge from the services' stages to gRPC's unary observers, and the request checks they
 * share. A failure reaches the client as {@link GimStatus#toStatus(Throwable)} makes it: the
 * nearest standard status, the GIM code in the {@code gim-code} trailer, a fixed text.
 *
 * <p>Stateless and thread-safe.
 */
final class Calls {
  private Calls() {}

  /**
   * Runs {@code work} (which may throw at once, e.g. a check) and answers the call with its result.
   * Must be called from the service method itself, before it returns.
   */
  static <T> void answer(StreamObserver<T> observer, Supplier<CompletionStage<T>> work) {
    if (observer instanceof ServerCallStreamObserver<T> call) {
      // Without a handler, answering a call the client cancelled meanwhile would throw.
      call.setOnCancelHandler(() -> {});
    }
    CompletionStage<T> stage;
    try {
      stage = work.get();
    } catch (RuntimeException e) {
      stage = CompletableFuture.failedFuture(e);
    }
    stage.whenComplete(
        (value, failure) -> {
          try {
            if (failure != null) {
              observer.onError(GimStatus.toStatus(failure));
            } else {
              observer.onNext(value);
              observer.onCompleted();
            }
          } catch (StatusRuntimeException cancelled) {
            // the call is gone; nobody is left to tell
          }
        });
  }

  /** {@code value}, at most {@code max} characters; else BAD_REQUEST "NAME too long". */
  static String text(String name, String value, int max) {
    if (value.length() > max) {
      throw new GimException(GimErrorCode.BAD_REQUEST, name + " too long");
    }
    return value;
  }

  /** A positive id; else BAD_REQUEST "NAME missing". */
  static long id(String name, long value) {
    if (value <= 0) {
      throw new GimException(GimErrorCode.BAD_REQUEST, name + " missing");
    }
    return value;
  }

  /** The business server's "user not found": GIM's code 10301 on the business services. */
  static GimException userNotFound() {
    return new GimException(Codes.USER_NOT_FOUND, "user not found", null);
  }

  /** GIM's business codes (the wire codes of the business services). */
  static final class Codes {
    /** A sign-in with a wrong verification code. */
    static final int WRONG_CODE = 10300;

    /** No user with that id (on the long connection 10301 means "signed in elsewhere"). */
    static final int USER_NOT_FOUND = 10301;

    private Codes() {}
  }
}
