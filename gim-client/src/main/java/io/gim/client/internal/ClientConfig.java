package io.gim.client.internal;

import java.net.URI;
import java.time.Duration;

/**
 * A validated, frozen client configuration (built by {@code GimClientBuilder}). Immutable and
 * thread-safe.
 *
 * @param webSocketUri the ws:// or wss:// URI, or {@code null} for TCP to {@code host:port}
 * @param initialBackoff {@code null} when reconnecting is disabled
 * @param initialEpoch the epoch of {@code initialSeq}, or -1 if unknown
 */
public record ClientConfig(
    String host,
    int port,
    URI webSocketUri,
    long userId,
    long deviceId,
    String token,
    Duration heartbeatInterval,
    Duration requestTimeout,
    Duration initialBackoff,
    Duration maxBackoff,
    long initialSeq,
    long initialEpoch,
    int maxFrameBytes,
    int syncPageSize) {

  /** Whether the client reconnects after losing an established connection. */
  public boolean reconnects() {
    return initialBackoff != null;
  }

  /** Whether the transport is WebSocket rather than plain TCP. */
  public boolean webSocket() {
    return webSocketUri != null;
  }

  @Override
  public String toString() {
    // The token is a secret: never in logs.
    return "ClientConfig["
        + (webSocket() ? webSocketUri : host + ":" + port)
        + ", user="
        + userId
        + ", device="
        + deviceId
        + ", heartbeat="
        + heartbeatInterval
        + ", requestTimeout="
        + requestTimeout
        + ", backoff="
        + (reconnects() ? initialBackoff + ".." + maxBackoff : "off")
        + ", initialSeq="
        + initialSeq
        + ", initialEpoch="
        + initialEpoch
        + ", maxFrameBytes="
        + maxFrameBytes
        + ", syncPageSize="
        + syncPageSize
        + "]";
  }
}
