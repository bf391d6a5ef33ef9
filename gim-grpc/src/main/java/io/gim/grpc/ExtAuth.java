package io.gim.grpc;

import io.gim.spi.AuthProvider;
import io.gim.spi.AuthResult;
import io.gim.spi.GimErrorCode;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * Authenticates the calls of end-user ({@code Ext}) services as the long connection does: the
 * metadata {@code user_id}, {@code device_id} and {@code token} go to the {@link AuthProvider}
 * together, so a token is checked for that device of that user, and the accepted pair becomes the
 * call's {@link Caller}. A refused or malformed call ends with UNAUTHENTICATED (gim-code 10000, or
 * the provider's code); the service never sees it.
 *
 * <p>The provider's answer is awaited without blocking a thread: the call's messages wait in a
 * small queue meanwhile. Thread-safe.
 *
 * <pre>{@code
 * ServerServiceDefinition friends = ExtAuth.of(auth).intercept(new MyFriendService());
 * }</pre>
 */
public final class ExtAuth implements ServerInterceptor {
  /** Metadata of an Ext call: the calling user. */
  public static final Metadata.Key<String> USER_ID =
      Metadata.Key.of("user_id", Metadata.ASCII_STRING_MARSHALLER);

  /** Metadata of an Ext call: the calling device (of that user). */
  public static final Metadata.Key<String> DEVICE_ID =
      Metadata.Key.of("device_id", Metadata.ASCII_STRING_MARSHALLER);

  /** Metadata of an Ext call: the device's token. */
  public static final Metadata.Key<String> TOKEN =
      Metadata.Key.of("token", Metadata.ASCII_STRING_MARSHALLER);

  private final AuthProvider auth;
  private final Set<String> open;

  private ExtAuth(AuthProvider auth, Set<String> openMethods) {
    this.auth = Objects.requireNonNull(auth, "auth");
    this.open = Set.copyOf(openMethods);
  }

  /** Authenticates every method. */
  public static ExtAuth of(AuthProvider auth) {
    return new ExtAuth(auth, Set.of());
  }

  /**
   * Authenticates every method but those named (full names such as {@code
   * "business.UserExtService/SignIn"}), which are served without a caller.
   */
  public static ExtAuth except(AuthProvider auth, Set<String> openMethods) {
    return new ExtAuth(auth, openMethods);
  }

  /** The service with this interceptor in front of every method. */
  public ServerServiceDefinition intercept(io.grpc.BindableService service) {
    return ServerInterceptors.intercept(service, this);
  }

  /** The service with this interceptor in front of every method. */
  public ServerServiceDefinition intercept(ServerServiceDefinition service) {
    return ServerInterceptors.intercept(service, this);
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    if (open.contains(call.getMethodDescriptor().getFullMethodName())) {
      return next.startCall(call, headers);
    }
    long userId = parseId(headers.get(USER_ID));
    long deviceId = parseId(headers.get(DEVICE_ID));
    String token = headers.get(TOKEN);
    if (userId <= 0 || deviceId <= 0 || token == null) {
      var status =
          GimStatus.refused(GimErrorCode.UNAUTHORIZED.code(), "missing or malformed credentials");
      call.close(status.getStatus(), status.getTrailers());
      return new ServerCall.Listener<>() {};
    }
    CompletionStage<AuthResult> decision;
    try {
      decision = auth.authenticate(userId, deviceId, token);
    } catch (RuntimeException e) {
      decision = java.util.concurrent.CompletableFuture.failedFuture(e);
    }
    Pending<Q> pending = new Pending<>();
    Context callContext = Context.current(); // the call's deadline and cancellation
    decision.whenComplete(
        (result, failure) -> {
          if (failure == null && result instanceof AuthResult.Allowed) {
            Context context = callContext.withValue(Caller.KEY, new Caller(userId, deviceId));
            pending.start(Contexts.interceptCall(context, call, headers, next));
            return;
          }
          var status =
              result instanceof AuthResult.Denied denied
                  ? GimStatus.refused(denied.code(), denied.message())
                  : GimStatus.authFailure(
                      failure != null ? failure : new IllegalStateException("no AuthResult"));
          pending.drop(() -> call.close(status.getStatus(), status.getTrailers()));
        });
    return pending;
  }

  /** A decimal id the engine accepts (1 to 2^63-1, as DeviceKey), or 0 for anything else. */
  static long parseId(String value) {
    if (value == null || value.isEmpty() || value.length() > 20) {
      return 0;
    }
    try {
      long id = Long.parseUnsignedLong(value.trim());
      return id > 0 ? id : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /**
   * Holds a call's events until the provider answers, then replays them to the real listener (or
   * drops them if the call was refused). Events arrive one at a time from gRPC; the answer may come
   * on any thread, so both sides take the lock.
   */
  private static final class Pending<Q> extends ServerCall.Listener<Q> {
    private final ArrayDeque<Consumer<ServerCall.Listener<Q>>> queued = new ArrayDeque<>();
    private ServerCall.Listener<Q> delegate;
    private boolean dropped;

    synchronized void start(ServerCall.Listener<Q> listener) {
      for (Consumer<ServerCall.Listener<Q>> event : queued) {
        event.accept(listener);
      }
      queued.clear();
      delegate = listener;
    }

    synchronized void drop(Runnable close) {
      queued.clear();
      dropped = true;
      close.run();
    }

    private void dispatch(Consumer<ServerCall.Listener<Q>> event) {
      ServerCall.Listener<Q> target;
      synchronized (this) {
        if (dropped) {
          return;
        }
        if (delegate == null) {
          queued.add(event);
          return;
        }
        target = delegate;
      }
      event.accept(target);
    }

    @Override
    public void onMessage(Q message) {
      dispatch(l -> l.onMessage(message));
    }

    @Override
    public void onHalfClose() {
      dispatch(ServerCall.Listener::onHalfClose);
    }

    @Override
    public void onCancel() {
      dispatch(ServerCall.Listener::onCancel);
    }

    @Override
    public void onComplete() {
      dispatch(ServerCall.Listener::onComplete);
    }

    @Override
    public void onReady() {
      dispatch(ServerCall.Listener::onReady);
    }
  }
}
