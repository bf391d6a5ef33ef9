package io.gim.grpc;

import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Times every call of the services it intercepts as {@code gim.grpc.calls}, by method, gRPC status
 * and GIM code (the {@code gim-code} trailer, 0 for OK), from the call's start to its close. {@link
 * GrpcApi} puts it in front of its own services; a host puts it outermost in front of its own (so
 * that calls refused by {@link ExtAuth} are timed too):
 *
 * <pre>{@code
 * ServerInterceptors.intercept(ExtAuth.of(auth).intercept(myService), new GrpcMeters(registry))
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class GrpcMeters implements ServerInterceptor {
  private final MeterRegistry registry;
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();

  /** Meters in {@code registry}. */
  public GrpcMeters(MeterRegistry registry) {
    this.registry = java.util.Objects.requireNonNull(registry, "registry");
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    long start = System.nanoTime();
    String method = call.getMethodDescriptor().getFullMethodName();
    return next.startCall(
        new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
          @Override
          public void close(Status status, Metadata trailers) {
            String code = trailers == null ? null : trailers.get(GimStatus.GIM_CODE);
            timer(method, status.getCode().name(), code != null ? code : status.isOk() ? "0" : "")
                .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            super.close(status, trailers);
          }
        },
        headers);
  }

  private Timer timer(String method, String status, String code) {
    return timers.computeIfAbsent(
        method + "|" + status + "|" + code,
        k ->
            Timer.builder("gim.grpc.calls")
                .description("gRPC API calls, from start to close, by method and outcome")
                .tag("method", method)
                .tag("status", status)
                .tag("code", code)
                .publishPercentileHistogram()
                .register(registry));
  }
}
