package io.gim.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class GimClientBuilderTest {

  private static final MessageListener IGNORE = message -> {};

  private static GimClientBuilder valid() {
    return GimClient.builder().tcp("localhost", 8001).credentials(1, 2, "token").listener(IGNORE);
  }

  @Test
  void buildsAClientFromTheMinimalSettings() {
    try (GimClient client = valid().build()) {
      assertThat(client.isConnected()).isFalse();
      assertThat(client.lastDeliveredSeq()).isZero();
    }
  }

  @Test
  void startsTheCursorAtTheInitialSeq() {
    try (GimClient client = valid().initialSeq(77).build()) {
      assertThat(client.lastDeliveredSeq()).isEqualTo(77);
    }
  }

  @Test
  void startsAtTheInitialCursorEpochIncluded() {
    try (GimClient client = valid().initialCursor(InboxCursor.of(77, 3)).build()) {
      assertThat(client.cursor()).isEqualTo(InboxCursor.of(77, 3));
    }
  }

  @Test
  void leavesTheEpochUnknownWhenOnlyASeqIsGiven() {
    try (GimClient client = valid().initialCursor(InboxCursor.of(77, 3)).initialSeq(5).build()) {
      assertThat(client.cursor()).isEqualTo(new InboxCursor(5, OptionalLong.empty()));
    }
  }

  @Test
  void rejectsAZeroHeartbeatInterval() {
    assertThatThrownBy(() -> valid().heartbeatInterval(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("heartbeatInterval: PT0S (expected: > 0)");
  }

  @Test
  void rejectsANegativeRequestTimeout() {
    assertThatThrownBy(() -> valid().requestTimeout(Duration.ofSeconds(-1)).build())
        .hasMessage("requestTimeout: PT-1S (expected: > 0)");
  }

  @Test
  void rejectsAMaximumBackoffBelowTheInitialOne() {
    assertThatThrownBy(
            () -> valid().reconnect(Duration.ofSeconds(2), Duration.ofSeconds(1)).build())
        .hasMessage("maxBackoff: PT1S (expected: >= initialBackoff PT2S)");
  }

  @Test
  void acceptsAnyBackoffWhenReconnectingIsDisabled() {
    try (GimClient client = valid().reconnect(Duration.ZERO, Duration.ZERO).noReconnect().build()) {
      assertThat(client.isConnected()).isFalse();
    }
  }

  @Test
  void rejectsNonPositiveSizes() {
    assertThatThrownBy(() -> valid().maxFrameBytes(0).build())
        .hasMessage("maxFrameBytes: 0 (expected: > 0)");
    assertThatThrownBy(() -> valid().syncPageSize(-5).build())
        .hasMessage("syncPageSize: -5 (expected: > 0)");
    assertThatThrownBy(() -> valid().initialSeq(-1).build())
        .hasMessage("initialSeq: -1 (expected: >= 0)");
  }

  @Test
  void requiresATransportCredentialsAndAListener() {
    assertThatThrownBy(() -> GimClient.builder().credentials(1, 2, "t").listener(IGNORE).build())
        .hasMessageStartingWith("transport: null");
    assertThatThrownBy(() -> GimClient.builder().tcp("h", 1).listener(IGNORE).build())
        .hasMessageStartingWith("userId: 0");
    assertThatThrownBy(
            () -> GimClient.builder().tcp("h", 1).credentials(1, 0, "t").listener(IGNORE).build())
        .hasMessageStartingWith("deviceId: 0");
    assertThatThrownBy(
            () -> GimClient.builder().tcp("h", 1).credentials(1, 2, null).listener(IGNORE).build())
        .hasMessage("token: null (expected: non-null)");
    assertThatThrownBy(() -> GimClient.builder().tcp("h", 1).credentials(1, 2, "t").build())
        .hasMessage("listener: null (expected: non-null)");
  }

  @Test
  void rejectsAnOutOfRangePort() {
    assertThatThrownBy(() -> valid().tcp("localhost", 70_000).build())
        .hasMessage("port: 70000 (expected: 1..65535)");
  }

  @Test
  void rejectsAWebSocketUriWithAnotherScheme() {
    assertThatThrownBy(() -> valid().websocket(URI.create("http://localhost:8002/ws")).build())
        .hasMessage("websocket: http://localhost:8002/ws (expected: ws:// or wss:// URI)");
  }

  @Test
  void acceptsAWebSocketUriWithoutAPort() {
    try (GimClient client = valid().websocket(URI.create("ws://localhost/ws")).build()) {
      assertThat(client.isConnected()).isFalse();
    }
  }

  @Test
  void acceptsSeveralServersOfOneTransport() {
    List<InetSocketAddress> nodes =
        List.of(
            InetSocketAddress.createUnresolved("node1", 8001),
            InetSocketAddress.createUnresolved("node2", 8001));
    try (GimClient tcp = valid().tcp(nodes).build();
        GimClient ws =
            valid()
                .websocket(List.of(URI.create("ws://node1/ws"), URI.create("ws://node2:8002/ws")))
                .build()) {
      assertThat(tcp.connectedAddress()).isEmpty();
      assertThat(ws.connectedAddress()).isEmpty();
    }
  }

  @Test
  void rejectsAnEmptyOrNullServerList() {
    assertThatThrownBy(() -> valid().tcp(List.of()).build())
        .hasMessage("tcp: [] (expected: at least one address)");
    assertThatThrownBy(() -> valid().websocket(List.<URI>of()).build())
        .hasMessage("websocket: [] (expected: at least one URI)");
    assertThatThrownBy(() -> valid().tcp((List<InetSocketAddress>) null).build())
        .hasMessageStartingWith("transport: null");
    assertThatThrownBy(
            () -> valid().tcp(Arrays.asList(new InetSocketAddress("localhost", 1), null)).build())
        .hasMessageEndingWith("(expected: no null address)");
  }

  @Test
  void rejectsABadAddressInTheList() {
    assertThatThrownBy(
            () ->
                valid()
                    .tcp(
                        List.of(
                            InetSocketAddress.createUnresolved("node1", 8001),
                            InetSocketAddress.createUnresolved("node2", 0)))
                    .build())
        .hasMessage("tcp: node2:0 (expected: a port in 1..65535)");
    assertThatThrownBy(
            () ->
                valid()
                    .tcp(
                        List.of(
                            InetSocketAddress.createUnresolved("node1", 8001),
                            InetSocketAddress.createUnresolved("node1", 8001)))
                    .build())
        .hasMessage("tcp: [node1:8001, node1:8001] (expected: each server once)");
    assertThatThrownBy(
            () ->
                valid().websocket(List.of(URI.create("ws://node1/ws"), URI.create("/ws"))).build())
        .hasMessage("websocket: /ws (expected: ws:// or wss:// URI)");
  }

  @Test
  void rejectsMixedTransportsAndSchemes() {
    assertThatThrownBy(
            () ->
                valid()
                    .websocket(List.of(URI.create("ws://node1/ws"), URI.create("tcp://node2:8001")))
                    .build())
        .hasMessage(
            "websocket: tcp://node2:8001 (expected: ws:// or wss:// URI; TCP servers go to"
                + " tcp(...), one transport per client)");
    assertThatThrownBy(
            () ->
                valid()
                    .websocket(List.of(URI.create("ws://node1/ws"), URI.create("wss://node2/ws")))
                    .build())
        .hasMessage(
            "websocket: [ws://node1/ws, wss://node2/ws] (expected: all ws:// or all wss://, not"
                + " mixed)");
  }

  @Test
  void aLaterTransportReplacesAnEarlierOne() {
    GimClientBuilder builder =
        valid().websocket(List.of(URI.create("http://nowhere"))).tcp("localhost", 8001);
    try (GimClient client = builder.build()) {
      assertThat(client.isConnected()).isFalse();
    }
  }

  @Test
  void failsRequestsWhileNotConnected() {
    try (GimClient client = valid().build()) {
      assertThat(client.sendToUser(2, new byte[] {1}, null))
          .failsWithin(Duration.ofSeconds(5))
          .withThrowableThat()
          .havingCause()
          .isInstanceOfSatisfying(
              GimClientException.class,
              e -> assertThat(e.code()).isEqualTo(GimClientException.NOT_CONNECTED));
    }
  }

  @Test
  void closesIdempotently() {
    GimClient client = valid().build();
    client.close();
    client.close();

    assertThat(client.connect()).failsWithin(Duration.ofSeconds(5));
  }
}
