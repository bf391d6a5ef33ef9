package io.gim.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.gim.protocol.Message;
import io.gim.protocol.MessageCommand;
import io.gim.spi.DeviceKey;
import io.gim.spi.GimErrorCode;
import io.gim.spi.GimException;
import io.gim.spi.cluster.NodeLink.DeviceMessage;
import io.gim.spi.cluster.NodeLink.Receiver;
import io.gim.transport.netty.internal.ConnectIntWire;
import io.gim.transport.netty.internal.NodeGate.BreakerState;
import io.grpc.MethodDescriptor;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Two or more links in one JVM, over real loopback sockets. */
@ExtendWith(NettyLeakCheck.class)
class GrpcNodeLinkIT {
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  @Test
  void deliversABatchToTheOtherNodeInOneCall() {
    GrpcNodeLink a = link(GrpcNodeLink.builder());
    Recorder bReceived = new Recorder();
    GrpcNodeLink b = serving(GrpcNodeLink.builder(), bReceived);
    List<DeviceMessage> batch =
        List.of(
            new DeviceMessage(DeviceKey.of(1, 1), message(1)),
            new DeviceMessage(DeviceKey.of(1, 2), message(2)),
            new DeviceMessage(DeviceKey.of(7, 1), message(3)));

    a.deliver(b.advertisedNodeId(), batch).toCompletableFuture().join();

    List<DeviceMessage> got = bReceived.nextDelivery();
    assertThat(got)
        .extracting(DeviceMessage::device)
        .containsExactly(DeviceKey.of(1, 1), DeviceKey.of(1, 2), DeviceKey.of(7, 1));
    assertThat(got)
        .extracting(DeviceMessage::message)
        .containsExactly(message(1), message(2), message(3));
    assertThat(bReceived.deliveries).isEmpty();
    assertThat(a.callsSent(b.advertisedNodeId())).isEqualTo(1);
  }

  @Test
  void timesEveryCallByKindAndOutcome() throws IOException {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    GrpcNodeLink a = link(GrpcNodeLink.builder().meterRegistry(registry));
    GrpcNodeLink b = serving(GrpcNodeLink.builder(), new Recorder());

    a.deliver(b.advertisedNodeId(), batchOfOne()).toCompletableFuture().join();
    a.kick(b.advertisedNodeId(), DeviceKey.of(5, 6), 42).toCompletableFuture().join();
    CompletableFuture<Void> unreachable =
        a.deliver("127.0.0.1:" + freePort(), batchOfOne()).toCompletableFuture();
    assertThat(failureCode(unreachable)).isEqualTo(GimErrorCode.STORE_UNAVAILABLE);

    assertThat(timerCount(registry, "deliver", "ok")).isEqualTo(1);
    assertThat(timerCount(registry, "kick", "ok")).isEqualTo(1);
    assertThat(timerCount(registry, "deliver", "unavailable")).isEqualTo(1);
  }

  private static long timerCount(SimpleMeterRegistry registry, String call, String outcome) {
    return registry.get("gim.link.calls").tags("call", call, "outcome", outcome).timer().count();
  }

  @Test
  void kickArrivesWithTheConnectionId() throws InterruptedException {
    GrpcNodeLink a = link(GrpcNodeLink.builder());
    Recorder bReceived = new Recorder();
    GrpcNodeLink b = serving(GrpcNodeLink.builder(), bReceived);

    a.kick(b.advertisedNodeId(), DeviceKey.of(5, 6), 42).toCompletableFuture().join();

    assertThat(bReceived.kicks.poll(10, TimeUnit.SECONDS)).isEqualTo("5/6@42");
  }

  @Test
  void aCallToANodeWithNothingListeningFailsWithAGimException() throws IOException {
    GrpcNodeLink a = link(GrpcNodeLink.builder());

    CompletableFuture<Void> call =
        a.deliver("127.0.0.1:" + freePort(), batchOfOne()).toCompletableFuture();

    assertThatThrownBy(call::join)
        .hasCauseInstanceOf(GimException.class)
        .cause()
        .extracting(e -> ((GimException) e).errorCode())
        .isEqualTo(GimErrorCode.STORE_UNAVAILABLE);
  }

  @Test
  void aNodeThatNeverAnswersDoesNotDelayCallsToALiveNode() throws IOException {
    GrpcNodeLink a = link(GrpcNodeLink.builder().deadline(Duration.ofMillis(500)));
    Recorder bReceived = new Recorder();
    GrpcNodeLink b = serving(GrpcNodeLink.builder(), bReceived);
    // Accepts TCP connections (the backlog does) but never speaks HTTP/2.
    ServerSocket blackHole = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    toClose.add(blackHole);

    CompletableFuture<Void> stuck =
        a.deliver("127.0.0.1:" + blackHole.getLocalPort(), batchOfOne()).toCompletableFuture();
    a.deliver(b.advertisedNodeId(), batchOfOne()).toCompletableFuture().join();

    assertThat(bReceived.nextDelivery()).hasSize(1);
    await().atMost(Duration.ofSeconds(10)).until(stuck::isDone);
    assertThat(failureCode(stuck)).isEqualTo(GimErrorCode.STORE_UNAVAILABLE);
  }

  @Test
  void aNodeWhoseReceiverBlocksGetsBusyPastTheLimitWhileOtherNodesStillWork() {
    GrpcNodeLink a =
        link(
            GrpcNodeLink.builder()
                .maxCallsInFlightPerNode(2)
                .maxQueuedPushesPerNode(1)
                .deadline(Duration.ofSeconds(30)));
    CountDownLatch release = new CountDownLatch(1);
    Recorder blocked = new Recorder(release);
    GrpcNodeLink b = serving(GrpcNodeLink.builder(), blocked);
    Recorder cReceived = new Recorder();
    GrpcNodeLink c = serving(GrpcNodeLink.builder(), cReceived);

    CompletableFuture<Void> first =
        a.deliver(b.advertisedNodeId(), batchOfOne()).toCompletableFuture();
    CompletableFuture<Void> second =
        a.deliver(b.advertisedNodeId(), batchOfOne()).toCompletableFuture();
    CompletableFuture<Void> third =
        a.deliver(b.advertisedNodeId(), batchOfOne()).toCompletableFuture();
    CompletableFuture<Void> fourth =
        a.deliver(b.advertisedNodeId(), batchOfOne()).toCompletableFuture();

    // Two calls in flight, one push waiting for the next call, the one past that refused.
    assertThat(third).isNotDone();
    assertThat(fourth).isCompletedExceptionally();
    assertThat(failureCode(fourth)).isEqualTo(GimErrorCode.BUSY);
    a.deliver(c.advertisedNodeId(), batchOfOne()).toCompletableFuture().join();
    assertThat(cReceived.nextDelivery()).hasSize(1);
    assertThat(first).isNotDone();

    release.countDown();
    CompletableFuture.allOf(first, second, third).join();
    a.deliver(b.advertisedNodeId(), batchOfOne()).toCompletableFuture().join();
  }

  @Test
  void pushesArrivingWhileACallIsInFlightLeaveTogetherInTheNextCall() throws Exception {
    GrpcNodeLink a =
        link(GrpcNodeLink.builder().maxCallsInFlightPerNode(1).deadline(Duration.ofSeconds(30)));
    CountDownLatch release = new CountDownLatch(1);
    Recorder b = new Recorder(release);
    GrpcNodeLink bLink = serving(GrpcNodeLink.builder(), b);

    List<CompletableFuture<Void>> pushes = new java.util.ArrayList<>();
    for (int i = 0; i < 10; i++) {
      pushes.add(a.deliver(bLink.advertisedNodeId(), batchOfOne()).toCompletableFuture());
    }
    release.countDown();
    CompletableFuture.allOf(pushes.toArray(CompletableFuture[]::new)).join();

    // The first went alone; the nine that waited behind it went as one call.
    assertThat(b.nextDelivery()).hasSize(1);
    assertThat(b.nextDelivery()).hasSize(9);
    assertThat(a.callsSent(bLink.advertisedNodeId())).isEqualTo(2);
  }

  @Test
  void theBreakerFailsFastAfterRepeatedFailuresAndClosesOnceTheNodeIsUp() throws IOException {
    GrpcNodeLink a = link(GrpcNodeLink.builder().breaker(3, Duration.ofMillis(200)));
    int port = freePort();
    String dead = "127.0.0.1:" + port;
    for (int i = 0; i < 3; i++) {
      CompletableFuture<Void> call = a.deliver(dead, batchOfOne()).toCompletableFuture();
      assertThat(failureCode(call)).isEqualTo(GimErrorCode.STORE_UNAVAILABLE);
    }
    assertThat(a.breakerState(dead)).isEqualTo(BreakerState.OPEN);

    CompletableFuture<Void> refused = a.deliver(dead, batchOfOne()).toCompletableFuture();

    assertThat(refused).isCompletedExceptionally();
    assertThat(failureCode(refused)).isEqualTo(GimErrorCode.STORE_UNAVAILABLE);
    assertThat(a.callsSent(dead)).as("no call reached the wire").isEqualTo(3);

    Recorder revived = new Recorder();
    serving(GrpcNodeLink.builder().listen("127.0.0.1", port), revived);
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
        .until(
            () -> {
              a.deliver(dead, batchOfOne()).toCompletableFuture().join();
              return true;
            });
    assertThat(revived.nextDelivery()).hasSize(1);
    assertThat(a.breakerState(dead)).isEqualTo(BreakerState.CLOSED);
  }

  @Test
  void closeReleasesEveryThreadAndIsIdempotent() {
    GrpcNodeLink b = serving(GrpcNodeLink.builder(), new Recorder());
    GrpcNodeLink a = serving(GrpcNodeLink.builder(), new Recorder());
    a.deliver(b.advertisedNodeId(), batchOfOne()).toCompletableFuture().join();
    b.kick(a.advertisedNodeId(), DeviceKey.of(1, 1), 1).toCompletableFuture().join();
    assertThat(linkThreads()).isNotEmpty();

    a.close();
    a.close();
    b.close();

    await().atMost(Duration.ofSeconds(10)).until(() -> linkThreads().isEmpty());
    assertThat(failureCode(a.deliver(b.advertisedNodeId(), batchOfOne()).toCompletableFuture()))
        .isEqualTo(GimErrorCode.INTERNAL);
  }

  @Test
  void theWireMethodsAreGimsConnectIntService() {
    assertThat(ConnectIntWire.service(new Recorder()).getServiceDescriptor().getMethods())
        .extracting(MethodDescriptor::getFullMethodName)
        .containsExactlyInAnyOrder(
            "connect.ConnectIntService/PushToDevices", "connect.ConnectIntService/KickDevice");
  }

  @Test
  void aNodeIdIsTheBoundHostAndPort() {
    GrpcNodeLink b = serving(GrpcNodeLink.builder(), new Recorder());
    assertThat(b.advertisedNodeId()).isEqualTo("127.0.0.1:" + b.port());
    assertThat(b.port()).isPositive();
    assertThatThrownBy(() -> GrpcNodeLink.builder().listen("0.0.0.0", 0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("advertisedHost");
  }

  private GrpcNodeLink link(GrpcNodeLink.Builder builder) {
    GrpcNodeLink link = builder.build();
    toClose.add(link);
    return link;
  }

  private GrpcNodeLink serving(GrpcNodeLink.Builder builder, Receiver receiver) {
    GrpcNodeLink link = link(builder);
    link.serve(receiver).toCompletableFuture().join();
    return link;
  }

  private static List<String> linkThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(n -> n.startsWith("gim-link") || n.startsWith("grpc-"))
        .toList();
  }

  private static GimErrorCode failureCode(CompletableFuture<Void> call) {
    try {
      call.join();
    } catch (RuntimeException e) {
      assertThat(e.getCause()).isInstanceOf(GimException.class);
      return ((GimException) e.getCause()).errorCode();
    }
    throw new AssertionError("the call succeeded");
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static List<DeviceMessage> batchOfOne() {
    return List.of(new DeviceMessage(DeviceKey.of(1, 1), message(9)));
  }

  private static byte[] message(int seq) {
    return Message.newBuilder()
        .setCommand(MessageCommand.MC_USER_MESSAGE)
        .setContent(ByteString.copyFromUtf8("hello " + seq))
        .setSeq(seq)
        .setCreatedAt(1_700_000_000_000L + seq)
        .build()
        .toByteArray();
  }

  /** Records what a node receives; optionally blocks deliveries until released. */
  private static final class Recorder implements Receiver {
    final BlockingQueue<List<DeviceMessage>> deliveries = new LinkedBlockingQueue<>();
    final BlockingQueue<String> kicks = new LinkedBlockingQueue<>();
    private final CountDownLatch release;

    Recorder() {
      this(new CountDownLatch(0));
    }

    Recorder(CountDownLatch release) {
      this.release = release;
    }

    @Override
    public void deliver(List<DeviceMessage> messages) {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      deliveries.add(messages);
    }

    @Override
    public void kick(DeviceKey device, long connectionId) {
      kicks.add(device.userId() + "/" + device.deviceId() + "@" + connectionId);
    }

    List<DeviceMessage> nextDelivery() {
      try {
        List<DeviceMessage> got = deliveries.poll(10, TimeUnit.SECONDS);
        assertThat(got).as("a delivery").isNotNull();
        return got;
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }
}
