package io.gim.client.internal;

import java.net.InetSocketAddress;
import java.net.URI;

/**
 * One server of a client's list: where to connect and, for WebSocket, the URI to upgrade on.
 * Immutable and thread-safe.
 *
 * @param address the host and port to connect to, usually unresolved so that every attempt resolves
 *     the name again
 * @param webSocketUri the ws:// or wss:// URI, or {@code null} for TCP
 */
public record Server(InetSocketAddress address, URI webSocketUri) {

  /** A TCP server. */
  public static Server tcp(InetSocketAddress address) {
    return new Server(address, null);
  }

  /** A WebSocket server; its port defaults to 80 for ws:// and 443 for wss://. */
  public static Server webSocket(URI uri) {
    boolean secure = "wss".equals(uri.getScheme());
    int port = uri.getPort() != -1 ? uri.getPort() : secure ? 443 : 80;
    return new Server(InetSocketAddress.createUnresolved(uri.getHost(), port), uri);
  }

  /** Whether this server is reached over wss://. */
  public boolean secure() {
    return webSocketUri != null && "wss".equals(webSocketUri.getScheme());
  }

  @Override
  public String toString() {
    return webSocketUri != null
        ? webSocketUri.toString()
        : address.getHostString() + ":" + address.getPort();
  }
}
