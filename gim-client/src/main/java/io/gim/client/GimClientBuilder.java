package io.gim.client;

import io.gim.client.internal.ClientConfig;
import io.gim.client.internal.Server;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Collects a {@link GimClient}'s settings; {@link #build()} validates them all and freezes them.
 * Not thread-safe: configure it on one thread. Setters only record values; nothing is checked or
 * connected until {@code build()} and {@link GimClient#connect()}.
 */
public final class GimClientBuilder {

  private String host;
  private int port;
  private List<InetSocketAddress> tcpAddresses;
  private List<URI> webSocketUris;
  private int firstServer = -1;
  private long userId;
  private long deviceId;
  private String token;
  private MessageListener listener;
  private Duration heartbeatInterval = Duration.ofMinutes(4);
  private Duration requestTimeout = Duration.ofSeconds(10);
  private boolean reconnect = true;
  private Duration initialBackoff = Duration.ofMillis(500);
  private Duration maxBackoff = Duration.ofSeconds(30);
  private long initialSeq;
  private long initialEpoch = -1;
  private int maxFrameBytes = 1024 * 1024;
  private int syncPageSize = 500;
  private ClientResources resources;

  GimClientBuilder() {}

  /**
   * Connects over TCP with {@code uvarint(length) ++ Packet} frames to one server. Replaces any
   * earlier {@code tcp} or {@code websocket} call.
   */
  public GimClientBuilder tcp(String host, int port) {
    clearServers();
    this.host = host;
    this.port = port;
    return this;
  }

  /**
   * Connects over TCP to any of several servers, e.g. the nodes of a cluster. The first {@link
   * GimClient#connect()} starts at a random one of them, so that clients spread over the nodes;
   * after a failed attempt or a lost connection the client moves on to the next one in list order,
   * and backs off only after every server failed in a row. Unresolved addresses ({@link
   * InetSocketAddress#createUnresolved}) are resolved again at every attempt. Replaces any earlier
   * {@code tcp} or {@code websocket} call.
   *
   * @param servers one or more distinct addresses with non-zero ports; copied
   */
  public GimClientBuilder tcp(List<InetSocketAddress> servers) {
    clearServers();
    this.tcpAddresses = servers == null ? null : new ArrayList<>(servers);
    return this;
  }

  /**
   * Connects over WebSocket to one server, e.g. {@code ws://im.example.com:8002/ws} (or {@code
   * wss://}). Replaces any earlier {@code tcp} or {@code websocket} call.
   */
  public GimClientBuilder websocket(URI uri) {
    clearServers();
    this.webSocketUris = new ArrayList<>();
    this.webSocketUris.add(uri);
    return this;
  }

  /**
   * Connects over WebSocket to any of several servers, all {@code ws://} or all {@code wss://}; the
   * client chooses among them as {@link #tcp(List)} describes. Replaces any earlier {@code tcp} or
   * {@code websocket} call.
   *
   * @param servers one or more distinct URIs; copied
   */
  public GimClientBuilder websocket(List<URI> servers) {
    clearServers();
    this.webSocketUris = servers == null ? null : new ArrayList<>(servers);
    return this;
  }

  /** Tests pin the first server instead of choosing at random; -1 chooses at random. */
  GimClientBuilder firstServer(int index) {
    this.firstServer = index;
    return this;
  }

  private void clearServers() {
    this.host = null;
    this.port = 0;
    this.tcpAddresses = null;
    this.webSocketUris = null;
  }

  /** Who signs in; the token is checked by the server's {@code AuthProvider}. */
  public GimClientBuilder credentials(long userId, long deviceId, String token) {
    this.userId = userId;
    this.deviceId = deviceId;
    this.token = token;
    return this;
  }

  /** Receives messages and connection events; required. */
  public GimClientBuilder listener(MessageListener listener) {
    this.listener = listener;
    return this;
  }

  /**
   * How often a {@code PC_HEARTBEAT} is sent; default 4 minutes (the server drops idle
   * connections).
   */
  public GimClientBuilder heartbeatInterval(Duration interval) {
    this.heartbeatInterval = interval;
    return this;
  }

  /** How long a request (and a TCP connect) may take before it fails; default 10 seconds. */
  public GimClientBuilder requestTimeout(Duration timeout) {
    this.requestTimeout = timeout;
    return this;
  }

  /**
   * Reconnect delays: exponential from {@code initial} up to {@code max}, with full jitter; default
   * 500 ms .. 30 s.
   */
  public GimClientBuilder reconnect(Duration initial, Duration max) {
    this.reconnect = true;
    this.initialBackoff = initial;
    this.maxBackoff = max;
    return this;
  }

  /**
   * Never reconnect after losing a connection; the application calls {@link GimClient#connect()}
   * itself.
   */
  public GimClientBuilder noReconnect() {
    this.reconnect = false;
    return this;
  }

  /**
   * The last inbox seq the application already has (persisted from {@link
   * GimClient#lastDeliveredSeq()}), its epoch unknown; default 0, which lets the server start from
   * the largest ack of any of the user's devices. Prefer {@link #initialCursor(InboxCursor)}.
   */
  public GimClientBuilder initialSeq(long seq) {
    this.initialSeq = seq;
    this.initialEpoch = -1;
    return this;
  }

  /**
   * Where the application already is (persisted from {@link GimClient#cursor()}), so that a store
   * that lost its seqs while the application was away is noticed; replaces {@link
   * #initialSeq(long)}.
   */
  public GimClientBuilder initialCursor(InboxCursor cursor) {
    this.initialSeq = cursor.seq();
    this.initialEpoch = cursor.epoch().orElse(-1);
    return this;
  }

  /** The largest frame sent or accepted, in bytes; default 1 MiB, as the server's. */
  public GimClientBuilder maxFrameBytes(int bytes) {
    this.maxFrameBytes = bytes;
    return this;
  }

  /**
   * How many messages one sync page asks for; default 500, the server's default cap (a server caps
   * a larger ask at its configured maximum, and cuts a page that would not fit one frame).
   */
  public GimClientBuilder syncPageSize(int size) {
    this.syncPageSize = size;
    return this;
  }

  /**
   * Shared I/O threads; without them the client starts (and at close stops) one thread of its own.
   */
  public GimClientBuilder resources(ClientResources resources) {
    this.resources = resources;
    return this;
  }

  /**
   * Validates every setting and creates the client, which does not connect yet.
   *
   * @throws IllegalArgumentException naming the first invalid setting, e.g. {@code
   *     "heartbeatInterval: PT0S (expected: > 0)"}
   */
  public GimClient build() {
    List<Server> servers = servers();
    check(userId != 0, "userId", userId, "!= 0, set by credentials(...)");
    check(deviceId != 0, "deviceId", deviceId, "!= 0, set by credentials(...)");
    check(token != null, "token", null, "non-null");
    check(listener != null, "listener", null, "non-null");
    checkPositive("heartbeatInterval", heartbeatInterval);
    checkPositive("requestTimeout", requestTimeout);
    if (reconnect) {
      checkPositive("initialBackoff", initialBackoff);
      checkPositive("maxBackoff", maxBackoff);
      check(
          maxBackoff.compareTo(initialBackoff) >= 0,
          "maxBackoff",
          maxBackoff,
          ">= initialBackoff " + initialBackoff);
    }
    check(initialSeq >= 0, "initialSeq", initialSeq, ">= 0");
    check(maxFrameBytes > 0, "maxFrameBytes", maxFrameBytes, "> 0");
    check(syncPageSize > 0, "syncPageSize", syncPageSize, "> 0");

    check(
        firstServer >= -1 && firstServer < servers.size(),
        "firstServer",
        firstServer,
        "-1 or an index of the server list");
    ClientConfig config =
        new ClientConfig(
            servers,
            firstServer == -1 ? ThreadLocalRandom.current().nextInt(servers.size()) : firstServer,
            userId,
            deviceId,
            token,
            heartbeatInterval,
            requestTimeout,
            reconnect ? initialBackoff : null,
            reconnect ? maxBackoff : null,
            initialSeq,
            initialEpoch,
            maxFrameBytes,
            syncPageSize);
    return new GimClient(config, listener, resources);
  }

  private List<Server> servers() {
    List<Server> servers = new ArrayList<>();
    if (webSocketUris != null) {
      check(!webSocketUris.isEmpty(), "websocket", webSocketUris, "at least one URI");
      for (URI uri : webSocketUris) {
        check(uri != null, "websocket", webSocketUris, "no null URI");
        String scheme = uri.getScheme();
        check(
            !"tcp".equals(scheme),
            "websocket",
            uri,
            "ws:// or wss:// URI; TCP servers go to tcp(...), one transport per client");
        check("ws".equals(scheme) || "wss".equals(scheme), "websocket", uri, "ws:// or wss:// URI");
        check(uri.getHost() != null, "websocket", uri, "a URI with a host");
        check(
            scheme.equals(webSocketUris.get(0).getScheme()),
            "websocket",
            webSocketUris,
            "all ws:// or all wss://, not mixed");
        servers.add(Server.webSocket(uri));
      }
    } else if (tcpAddresses != null) {
      check(!tcpAddresses.isEmpty(), "tcp", tcpAddresses, "at least one address");
      for (InetSocketAddress address : tcpAddresses) {
        check(address != null, "tcp", tcpAddresses, "no null address");
        check(address.getPort() > 0, "tcp", Server.tcp(address), "a port in 1..65535");
        servers.add(Server.tcp(address));
      }
    } else {
      check(
          host != null && !host.isBlank(),
          "transport",
          host,
          "tcp(host, port), tcp(addresses), websocket(uri) or websocket(uris)");
      check(port > 0 && port <= 65535, "port", port, "1..65535");
      servers.add(Server.tcp(InetSocketAddress.createUnresolved(host, port)));
    }
    check(
        new HashSet<>(servers).size() == servers.size(),
        webSocketUris != null ? "websocket" : "tcp",
        servers,
        "each server once");
    return servers;
  }

  private static void checkPositive(String name, Duration value) {
    check(value != null && value.compareTo(Duration.ZERO) > 0, name, value, "> 0");
  }

  private static void check(boolean ok, String name, Object value, String expected) {
    if (!ok) {
      throw new IllegalArgumentException(
          name + ": " + Objects.toString(value) + " (expected: " + expected + ")");
    }
  }
}
