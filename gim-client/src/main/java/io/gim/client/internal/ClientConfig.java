package io.gim.client.internal;

import java.time.Duration;
import java.util.List;

/**
 * A validated, frozen client configuration (built by {@code GimClientBuilder}). Immutable and
 * thread-safe.
 *
 * @param servers one or more servers, all TCP or all WebSocket with one scheme, none twice
 * @param firstServer the index in {@code servers} of the first connect's server
 * @param initialBackoff {@code null} when reconnecting is disabled
 * @param initialEpoch the epoch of {@code initialSeq}, or -1 if unknown
 */
public record ClientConfig(
    List<Server> servers,
    int firstServer,
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

  public ClientConfig {
    servers = List.copyOf(servers);
  }

  /** Whether the transport is WebSocket rather than plain TCP. */
  public boolean webSocket() {
    return servers.get(0).webSocketUri() != null;
  }

  /** Whether the servers are reached over wss://. */
  public boolean secure() {
    return servers.get(0).secure();
  }

  @Override
  public String toString() {
    // The token is a secret: never in logs.
    return "ClientConfig["
        + servers
        + ", firstServer="
        + firstServer
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
