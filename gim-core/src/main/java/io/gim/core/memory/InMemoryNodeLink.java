package io.gim.core.memory;

import io.gim.spi.DeviceKey;
import io.gim.spi.GimErrorCode;
import io.gim.spi.GimException;
import io.gim.spi.cluster.NodeLink;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Node links between servers in one JVM, for tests and demos of a cluster without a network: a
 * {@link Hub} hands each node its link, and a call to a node goes straight to that node's receiver.
 * A node that is not serving (not started, or closed) fails calls with 10303, as an unreachable
 * node would.
 *
 * <p>Thread-safe.
 */
public final class InMemoryNodeLink implements NodeLink {
  private final Hub hub;
  private final String nodeId;

  private InMemoryNodeLink(Hub hub, String nodeId) {
    this.hub = hub;
    this.nodeId = nodeId;
  }

  /** The nodes of one in-JVM cluster. */
  public static final class Hub {
    private final ConcurrentHashMap<String, Receiver> serving = new ConcurrentHashMap<>();

    /** The link of node {@code nodeId}: give it to the server whose node id is the same. */
    public NodeLink link(String nodeId) {
      return new InMemoryNodeLink(this, Objects.requireNonNull(nodeId, "nodeId"));
    }

    private Receiver receiver(String nodeId) {
      Receiver r = serving.get(nodeId);
      if (r == null) {
        throw new GimException(GimErrorCode.STORE_UNAVAILABLE, "node " + nodeId + " unreachable");
      }
      return r;
    }
  }

  @Override
  public CompletionStage<Void> deliver(String nodeId, List<DeviceMessage> messages) {
    return call(() -> hub.receiver(nodeId).deliver(List.copyOf(messages)));
  }

  @Override
  public CompletionStage<Void> kick(String nodeId, DeviceKey device, long connectionId) {
    return call(() -> hub.receiver(nodeId).kick(device, connectionId));
  }

  @Override
  public CompletionStage<Void> serve(Receiver receiver) {
    hub.serving.put(nodeId, Objects.requireNonNull(receiver, "receiver"));
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void close() {
    hub.serving.remove(nodeId);
  }

  private static CompletionStage<Void> call(Runnable call) {
    try {
      call.run();
      return CompletableFuture.completedFuture(null);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
