package io.gim.grpc;

import io.gim.spi.GimErrorCode;
import io.gim.spi.GimException;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GIM's error codes over gRPC. grpc-java can send only the 17 standard status codes, so a failure
 * travels as the nearest standard status, with the GIM code in trailing metadata {@code gim-code}
 * (decimal ASCII) and at the start of the status description ({@code "10220 group not found"}).
 * Clients that read GIM's numeric status codes read {@code gim-code} instead.
 *
 * <p>Stateless and thread-safe.
 */
public final class GimStatus {
  private static final Logger log = LoggerFactory.getLogger(GimStatus.class);

  /** The trailing metadata key that carries the GIM code of a failed call. */
  public static final Metadata.Key<String> GIM_CODE =
      Metadata.Key.of("gim-code", Metadata.ASCII_STRING_MARSHALLER);

  private GimStatus() {}

  /**
   * The status a failed call ends with: a {@link GimException}'s code and message (found through
   * {@code CompletionException} wrappers), anything else as 10304 "internal error" (logged here,
   * never sent).
   */
  public static StatusRuntimeException toStatus(Throwable failure) {
    GimException e = GimException.from(failure);
    if (e.errorCode() == GimErrorCode.INTERNAL && e.getCause() != null) {
      log.warn("gRPC call failed", e.getCause());
    }
    Metadata trailers = new Metadata();
    trailers.put(GIM_CODE, Integer.toString(e.code()));
    Status status = statusOf(e.code()).withDescription(e.code() + " " + e.getMessage());
    return status.asRuntimeException(trailers);
  }

  /** The status for a GIM code and a fixed message. */
  public static StatusRuntimeException toStatus(GimErrorCode code, String message) {
    return toStatus(new GimException(code, message));
  }

  /**
   * The status of refused credentials: always UNAUTHENTICATED, with the provider's own code (10000
   * by default, or a host code such as "banned") in {@code gim-code} and its message.
   */
  static StatusRuntimeException refused(int code, String message) {
    Metadata trailers = new Metadata();
    trailers.put(GIM_CODE, Integer.toString(code));
    return Status.UNAUTHENTICATED
        .withDescription(code + " " + message)
        .asRuntimeException(trailers);
  }

  /**
   * The status of an {@link io.gim.spi.AuthProvider} whose stage failed: a busy or unavailable
   * store keeps its retryable status (RESOURCE_EXHAUSTED, UNAVAILABLE); any other {@link
   * GimException} is a refusal with its code; anything else is 10000 (the exception is logged, its
   * text never sent).
   */
  static StatusRuntimeException authFailure(Throwable failure) {
    GimException e = GimException.from(failure);
    if (e.errorCode() == GimErrorCode.INTERNAL) {
      log.warn("AuthProvider failed", failure);
      return refused(GimErrorCode.UNAUTHORIZED.code(), GimErrorCode.UNAUTHORIZED.defaultMessage());
    }
    if (e.errorCode() == GimErrorCode.BUSY || e.errorCode() == GimErrorCode.STORE_UNAVAILABLE) {
      return toStatus(e);
    }
    return refused(e.code(), e.getMessage());
  }

  /**
   * The standard status nearest a GIM code: 10000 UNAUTHENTICATED, 10001 INVALID_ARGUMENT, 10101,
   * 10200, 10210, 10220 NOT_FOUND, 10201, 10202, 10203, 10211 FAILED_PRECONDITION, 10302
   * RESOURCE_EXHAUSTED, 10303 UNAVAILABLE, anything else INTERNAL.
   */
  public static Status statusOf(int gimCode) {
    return switch (gimCode) {
      case 10000 -> Status.UNAUTHENTICATED;
      case 10001 -> Status.INVALID_ARGUMENT;
      case 10101, 10200, 10210, 10220 -> Status.NOT_FOUND;
      case 10201, 10202, 10203, 10211 -> Status.FAILED_PRECONDITION;
      case 10302 -> Status.RESOURCE_EXHAUSTED;
      case 10303 -> Status.UNAVAILABLE;
      default -> Status.INTERNAL;
    };
  }

  /**
   * The GIM code of a failed call as a client sees it: the {@code gim-code} trailer when present,
   * else the nearest code of the status (UNAUTHENTICATED 10000, INVALID_ARGUMENT 10001,
   * RESOURCE_EXHAUSTED 10302, UNAVAILABLE and DEADLINE_EXCEEDED 10303, others 10304).
   */
  public static int codeOf(Throwable failure) {
    Throwable c = failure;
    while (c != null) {
      Status status = null;
      Metadata trailers = null;
      if (c instanceof StatusRuntimeException s) {
        status = s.getStatus();
        trailers = s.getTrailers();
      } else if (c instanceof StatusException s) {
        status = s.getStatus();
        trailers = s.getTrailers();
      }
      if (status != null) {
        String code = trailers == null ? null : trailers.get(GIM_CODE);
        if (code != null) {
          try {
            return Integer.parseInt(code.trim());
          } catch (NumberFormatException ignored) {
            // a peer that is not GIM for Java: fall back to the status
          }
        }
        return switch (status.getCode()) {
          case UNAUTHENTICATED -> GimErrorCode.UNAUTHORIZED.code();
          case INVALID_ARGUMENT -> GimErrorCode.BAD_REQUEST.code();
          case RESOURCE_EXHAUSTED -> GimErrorCode.BUSY.code();
          case UNAVAILABLE, DEADLINE_EXCEEDED -> GimErrorCode.STORE_UNAVAILABLE.code();
          default -> GimErrorCode.INTERNAL.code();
        };
      }
      if (c instanceof GimException g) {
        return g.code();
      }
      c = c.getCause();
    }
    return GimErrorCode.INTERNAL.code();
  }
}
