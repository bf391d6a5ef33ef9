package io.gim.core;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The frozen configuration of a {@link GimServer}. The constructor validates every setting, so an
 * instance is always sane, however it was made; {@link GimServer.Builder} is the usual way.
 *
 * <p>Immutable and thread-safe. Transports read their limits from it.
 *
 * @param nodeId this node's name in the presence registry
 * @param listens the sockets to open
 * @param maxFrameBytes the largest TCP frame or WebSocket message accepted, in bytes; at least
 *     {@value #MIN_FRAME_BYTES}
 * @param readIdleTimeout a connection that sends nothing for this long is closed
 * @param signInTimeout a connection not signed in after this long is closed
 * @param maxSignInAttempts refused sign-ins after which the connection is closed
 * @param syncDefaultLimit the page size of a sync that asks for 0
 * @param syncMaxLimit the largest page a sync may get
 * @param dedupeWindow how long a (device, client_msg_id) pair is remembered
 * @param writeBufferLowWaterMark outbound bytes below which a connection is writable again
 * @param writeBufferHighWaterMark outbound bytes above which a connection is unwritable
 * @param maxPendingOutboundBytes outbound bytes past which a connection is closed at once
 * @param unwritableTimeout a connection unwritable for this long is closed
 * @param presenceTtl how long a presence route lives without a heartbeat
 * @param nodeTtl how long this node counts as alive in a shared presence registry without a node
 *     heartbeat; the node sends one every third of it
 * @param ioThreads network threads; 0 lets the transport choose
 * @param maxRequestsInFlight requests of one connection handled at once; past it the connection is
 *     not read until replies drain
 * @param maxStoreRequestsInFlight client syncs and acks of all connections in the stores at once;
 *     past it they wait their turn, connection by connection
 * @param maxStoreSendsInFlight client sends of all connections in the stores at once (each until
 *     its append is stored); past it they wait their turn, connection by connection
 */
public record ServerConfig(
    String nodeId,
    List<ListenSpec> listens,
    int maxFrameBytes,
    Duration readIdleTimeout,
    Duration signInTimeout,
    int maxSignInAttempts,
    int syncDefaultLimit,
    int syncMaxLimit,
    Duration dedupeWindow,
    int writeBufferLowWaterMark,
    int writeBufferHighWaterMark,
    int maxPendingOutboundBytes,
    Duration unwritableTimeout,
    Duration presenceTtl,
    Duration nodeTtl,
    int ioThreads,
    int maxRequestsInFlight,
    int maxStoreRequestsInFlight,
    int maxStoreSendsInFlight) {

  /**
   * The smallest frame limit: a message's content gets the frame less 1 KiB of headers, and a limit
   * below this leaves too little for anything but toy messages.
   */
  public static final int MIN_FRAME_BYTES = 4096;

  /**
   * Validates every setting.
   *
   * @throws IllegalArgumentException naming the first bad setting and what it expects
   */
  public ServerConfig {
    Objects.requireNonNull(nodeId, "nodeId");
    listens = List.copyOf(listens);
    if (maxFrameBytes < MIN_FRAME_BYTES) {
      throw new IllegalArgumentException(
          "maxFrameBytes: " + maxFrameBytes + " (expected: >= " + MIN_FRAME_BYTES + ")");
    }
    positive("readIdleTimeout", readIdleTimeout);
    positive("signInTimeout", signInTimeout);
    positive("maxSignInAttempts", maxSignInAttempts);
    positive("syncDefaultLimit", syncDefaultLimit);
    positive("syncMaxLimit", syncMaxLimit);
    if (syncDefaultLimit > syncMaxLimit) {
      throw new IllegalArgumentException(
          "syncDefaultLimit: "
              + syncDefaultLimit
              + " (expected: <= syncMaxLimit "
              + syncMaxLimit
              + ")");
    }
    positive("dedupeWindow", dedupeWindow);
    positive("writeBufferLowWaterMark", writeBufferLowWaterMark);
    if (writeBufferHighWaterMark < writeBufferLowWaterMark) {
      throw new IllegalArgumentException(
          "writeBufferHighWaterMark: "
              + writeBufferHighWaterMark
              + " (expected: >= low water mark "
              + writeBufferLowWaterMark
              + ")");
    }
    if (maxPendingOutboundBytes < writeBufferHighWaterMark) {
      throw new IllegalArgumentException(
          "maxPendingOutboundBytes: "
              + maxPendingOutboundBytes
              + " (expected: >= high water mark "
              + writeBufferHighWaterMark
              + ")");
    }
    positive("unwritableTimeout", unwritableTimeout);
    positive("presenceTtl", presenceTtl);
    positive("nodeTtl", nodeTtl);
    if (ioThreads < 0) {
      throw new IllegalArgumentException("ioThreads: " + ioThreads + " (expected: >= 0)");
    }
    positive("maxRequestsInFlight", maxRequestsInFlight);
    positive("maxStoreRequestsInFlight", maxStoreRequestsInFlight);
    positive("maxStoreSendsInFlight", maxStoreSendsInFlight);
  }

  private static void positive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
    }
  }

  private static void positive(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
    }
  }
}
