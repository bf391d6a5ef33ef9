package io.gim.core;

import java.time.Duration;
import java.util.List;

/**
 * The frozen configuration of a {@link GimServer}, validated by {@link GimServer.Builder#build()}.
 *
 * <p>Immutable and thread-safe. Transports read their limits from it.
 *
 * @param nodeId this node's name in the presence registry
 * @param listens the sockets to open
 * @param maxFrameBytes the largest TCP frame or WebSocket message accepted, in bytes
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
 * @param ioThreads network threads; 0 lets the transport choose
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
    int ioThreads) {

  public ServerConfig {
    listens = List.copyOf(listens);
  }
}
