package io.gim.core;

import java.util.Objects;

/**
 * One listening socket the server opens: a TCP port or a WebSocket port and path.
 *
 * <p>Immutable and thread-safe.
 *
 * @param kind TCP or WebSocket
 * @param host the address to bind, e.g. {@code 0.0.0.0} or {@code 127.0.0.1}
 * @param port the port; 0 picks a free one (see {@link GimServer#activePort(Kind)})
 * @param path the WebSocket upgrade path, e.g. {@code /ws}; empty for TCP
 */
public record ListenSpec(Kind kind, String host, int port, String path) {

  /** The kind of listener. */
  public enum Kind {
    /** Length-prefixed protobuf frames over TCP. */
    TCP,
    /** One binary WebSocket message per packet. */
    WEBSOCKET
  }

  public ListenSpec {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(path, "path");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port: " + port + " (expected: 0-65535)");
    }
    if (kind == Kind.WEBSOCKET && !path.startsWith("/")) {
      throw new IllegalArgumentException("path: '" + path + "' (expected: starts with '/')");
    }
  }
}
