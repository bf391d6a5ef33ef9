package io.gim.grpc;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.gim.grpc.business.AuthRequest;
import io.gim.grpc.business.UserIntServiceGrpc;
import io.gim.spi.AuthProvider;
import io.gim.spi.AuthResult;
import io.gim.spi.GimErrorCode;
import io.gim.spi.GimException;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * An {@link AuthProvider} that asks a remote {@code business.UserIntService.Auth}: GIM's way of
 * plugging a foreign account system into the server. A call that returns OK allows the sign-in; a
 * refusal ({@code UNAUTHENTICATED}, or any status with a {@code gim-code} trailer) denies it with
 * that code; a service that cannot be reached by the deadline fails the sign-in with 10303, which
 * the client sees as a refusal it may retry.
 *
 * <p>Positive answers are cached for a short time (default 10 s, at most 100,000 entries) per
 * (user, device, token): a device that reconnects, or calls Ext services, does not cost a remote
 * call each time. So a token revoked at the account system still works for up to that long; set
 * {@link Builder#cacheTtl(Duration)} to zero to ask every time. Refusals are never cached: a token
 * issued a moment ago works at once.
 *
 * <p>Thread-safe; never blocks. {@link #close()} shuts down the channel it created from a target
 * and leaves a channel handed in open.
 *
 * <pre>{@code
 * try (GrpcAuthProvider auth = GrpcAuthProvider.builder().target("business:8011").build();
 *      GimServer server = GimServer.builder().auth(auth).tcp(8001).build()) { ... }
 * }</pre>
 */
public final class GrpcAuthProvider implements AuthProvider, AutoCloseable {
  private final ManagedChannel channel;
  private final boolean ownsChannel;
  private final UserIntServiceGrpc.UserIntServiceStub stub;
  private final Duration deadline;
  private final Cache<AuthRequest, Boolean> allowed;

  private GrpcAuthProvider(Builder b, ManagedChannel channel, boolean ownsChannel) {
    this.channel = channel;
    this.ownsChannel = ownsChannel;
    this.stub = UserIntServiceGrpc.newStub(channel);
    this.deadline = b.deadline;
    this.allowed =
        b.cacheTtl.isZero()
            ? null
            : Caffeine.newBuilder()
                .expireAfterWrite(b.cacheTtl)
                .maximumSize(b.cacheMaxEntries)
                .build();
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public CompletionStage<AuthResult> authenticate(long userId, long deviceId, String token) {
    AuthRequest request =
        AuthRequest.newBuilder()
            .setUserId(userId)
            .setDeviceId(deviceId)
            .setToken(token == null ? "" : token)
            .build();
    if (allowed != null && allowed.getIfPresent(request) != null) {
      return CompletableFuture.completedFuture(AuthResult.allowed());
    }
    CompletableFuture<AuthResult> result = new CompletableFuture<>();
    stub.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS)
        .auth(
            request,
            new StreamObserver<>() {
              @Override
              public void onNext(com.google.protobuf.Empty value) {}

              @Override
              public void onError(Throwable t) {
                try {
                  result.complete(refusal(t));
                } catch (GimException unreachable) {
                  result.completeExceptionally(unreachable);
                }
              }

              @Override
              public void onCompleted() {
                if (allowed != null) {
                  allowed.put(request, Boolean.TRUE);
                }
                result.complete(AuthResult.allowed());
              }
            });
    return result;
  }

  /** What a failed Auth call means for the sign-in; throws when the service was not reached. */
  private static AuthResult refusal(Throwable t) {
    Status.Code status = Status.fromThrowable(t).getCode();
    if (status == Status.Code.UNAVAILABLE
        || status == Status.Code.DEADLINE_EXCEEDED
        || status == Status.Code.CANCELLED
        || status == Status.Code.RESOURCE_EXHAUSTED) {
      throw new GimException(GimErrorCode.STORE_UNAVAILABLE, "account service unavailable", t);
    }
    int code = GimStatus.codeOf(t);
    if (code == GimErrorCode.INTERNAL.code()) {
      code = GimErrorCode.UNAUTHORIZED.code(); // a peer's own failure: still no sign-in
    }
    return AuthResult.denied(code, "unauthorized");
  }

  /** Shuts down the channel this provider created; a channel handed in stays open. Idempotent. */
  @Override
  public void close() {
    if (ownsChannel) {
      channel.shutdownNow();
      try {
        channel.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Configures a {@link GrpcAuthProvider}; {@link #build()} validates. Not thread-safe. */
  public static final class Builder {
    private String target;
    private ManagedChannel channel;
    private Duration deadline = Duration.ofSeconds(2);
    private Duration cacheTtl = Duration.ofSeconds(10);
    private long cacheMaxEntries = 100_000;

    private Builder() {}

    /**
     * The business service's address, {@code host:port} (plaintext, for a private network); the
     * provider creates and owns the channel.
     */
    public Builder target(String target) {
      this.target = Objects.requireNonNull(target, "target");
      return this;
    }

    /** A channel of the host's (TLS, load balancing, ...); it stays open after {@link #close()}. */
    public Builder channel(ManagedChannel channel) {
      this.channel = Objects.requireNonNull(channel, "channel");
      return this;
    }

    /** How long one Auth call may take; default 2 s. */
    public Builder deadline(Duration deadline) {
      this.deadline = Objects.requireNonNull(deadline, "deadline");
      return this;
    }

    /** How long an allowed (user, device, token) is remembered; default 10 s; zero disables. */
    public Builder cacheTtl(Duration ttl) {
      this.cacheTtl = Objects.requireNonNull(ttl, "ttl");
      return this;
    }

    /** At most this many remembered sign-ins; default 100,000. */
    public Builder cacheMaxEntries(long entries) {
      this.cacheMaxEntries = entries;
      return this;
    }

    /** A provider; fails on a missing or contradictory setting. */
    public GrpcAuthProvider build() {
      if ((target == null) == (channel == null)) {
        throw new IllegalStateException("target or channel: give exactly one");
      }
      if (deadline.isNegative() || deadline.isZero()) {
        throw new IllegalStateException("deadline: " + deadline + " (expected: > 0)");
      }
      if (cacheTtl.isNegative()) {
        throw new IllegalStateException("cacheTtl: " + cacheTtl + " (expected: >= 0)");
      }
      if (cacheMaxEntries <= 0) {
        throw new IllegalStateException("cacheMaxEntries: " + cacheMaxEntries + " (expected: > 0)");
      }
      if (channel != null) {
        return new GrpcAuthProvider(this, channel, false);
      }
      return new GrpcAuthProvider(
          this, ManagedChannelBuilder.forTarget(target).usePlaintext().build(), true);
    }
  }
}
