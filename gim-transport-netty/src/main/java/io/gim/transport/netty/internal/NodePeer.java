package io.gim.transport.netty.internal;

import com.google.protobuf.Empty;
import io.gim.spi.GimErrorCode;
import io.gim.spi.GimException;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * One remote node as seen by the link: its channel (created on first use, replaced after the
 * breaker opens so that the trial call connects afresh instead of waiting out gRPC's reconnect
 * backoff), its {@link NodeGate} and a count of the calls sent. Thread-safe; never blocks.
 */
public final class NodePeer {
  private final String nodeId;
  private final InetSocketAddress address;
  private final Function<InetSocketAddress, ManagedChannel> channels;
  private final NodeGate gate;
  private final long deadlineMillis;
  private final AtomicLong callsSent = new AtomicLong();

  private ManagedChannel channel; // guarded by this
  // Channels shut down by the breaker, kept until terminated so that close() can wait for them.
  private final List<ManagedChannel> retired = new ArrayList<>(); // guarded by this
  private boolean closed; // guarded by this

  public NodePeer(
      String nodeId,
      InetSocketAddress address,
      Function<InetSocketAddress, ManagedChannel> channels,
      NodeGate gate,
      long deadlineMillis) {
    this.nodeId = nodeId;
    this.address = address;
    this.channels = channels;
    this.gate = gate;
    this.deadlineMillis = deadlineMillis;
  }

  /**
   * Sends one unary call. The returned future always completes, by the deadline at the latest, and
   * fails only with a {@link GimException}: {@code BUSY} when the node has too many calls in flight
   * or answered that it is exhausted, {@code STORE_UNAVAILABLE} when it is unreachable, too slow,
   * or its breaker is open, {@code INTERNAL} when it answered with any other error.
   */
  public <Q> CompletableFuture<Void> call(MethodDescriptor<Q, Empty> method, Q request) {
    CompletableFuture<Void> result = new CompletableFuture<>();
    switch (gate.tryAdmit()) {
      case TOO_MANY_IN_FLIGHT:
        result.completeExceptionally(
            new GimException(GimErrorCode.BUSY, "node " + nodeId + ": too many calls in flight"));
        return result;
      case BREAKER_OPEN:
        result.completeExceptionally(
            new GimException(
                GimErrorCode.STORE_UNAVAILABLE, "node " + nodeId + ": unreachable, backing off"));
        return result;
      default:
        break;
    }
    try {
      ManagedChannel ch = channel();
      if (ch == null) {
        gate.failed(false);
        result.completeExceptionally(new GimException(GimErrorCode.INTERNAL, "node link closed"));
        return result;
      }
      callsSent.incrementAndGet();
      ClientCalls.asyncUnaryCall(
          ch.newCall(
              method, CallOptions.DEFAULT.withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS)),
          request,
          new StreamObserver<Empty>() {
            @Override
            public void onNext(Empty value) {}

            @Override
            public void onError(Throwable t) {
              fail(result, Status.fromThrowable(t), t);
            }

            @Override
            public void onCompleted() {
              gate.succeeded();
              result.complete(null);
            }
          });
    } catch (RuntimeException e) {
      // gRPC reports failures through the observer; this is a guard so callers never see a throw.
      fail(result, Status.fromThrowable(e), e);
    }
    return result;
  }

  private void fail(CompletableFuture<Void> result, Status status, Throwable cause) {
    String text = "node " + nodeId + ": " + status.getCode();
    switch (status.getCode()) {
      case UNAVAILABLE, DEADLINE_EXCEEDED -> {
        if (gate.failed(true)) {
          resetChannel();
        }
        result.completeExceptionally(new GimException(GimErrorCode.STORE_UNAVAILABLE, text, cause));
      }
      case CANCELLED -> {
        gate.failed(false);
        result.completeExceptionally(new GimException(GimErrorCode.STORE_UNAVAILABLE, text, cause));
      }
      case RESOURCE_EXHAUSTED -> {
        // The node answered: it is reachable, only saturated.
        gate.succeeded();
        result.completeExceptionally(new GimException(GimErrorCode.BUSY, text, cause));
      }
      default -> {
        gate.succeeded();
        result.completeExceptionally(new GimException(GimErrorCode.INTERNAL, text, cause));
      }
    }
  }

  private synchronized ManagedChannel channel() {
    if (closed) {
      return null;
    }
    if (channel == null) {
      channel = channels.apply(address);
    }
    return channel;
  }

  private synchronized void resetChannel() {
    retired.removeIf(ManagedChannel::isTerminated);
    if (channel != null) {
      channel.shutdown();
      retired.add(channel);
      channel = null;
    }
  }

  /**
   * Shuts the channels down (calls in flight go on until their deadline); later calls fail. Returns
   * every channel of this node not yet terminated, for the caller to await.
   */
  public synchronized List<ManagedChannel> close() {
    closed = true;
    resetChannel();
    List<ManagedChannel> out = new ArrayList<>(retired);
    retired.clear();
    return out;
  }

  public NodeGate gate() {
    return gate;
  }

  public long callsSent() {
    return callsSent.get();
  }
}
