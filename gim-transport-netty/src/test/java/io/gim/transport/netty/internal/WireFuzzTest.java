package io.gim.transport.netty.internal;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.gim.client.internal.FrameDecoder;
import io.gim.core.GimServer;
import io.gim.core.ListenSpec;
import io.gim.core.transport.Transport;
import io.gim.protocol.Framing;
import io.gim.protocol.Packet;
import io.gim.protocol.PacketCommand;
import io.gim.protocol.Reply;
import io.gim.protocol.SignInRequest;
import io.gim.spi.AuthResult;
import io.gim.transport.netty.NettyLeakCheck;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fuzz targets for everything that reads bytes from a peer. In a normal build they replay the seeds
 * under {@code src/test/resources/.../WireFuzzTestInputs/<target>/}; with {@code JAZZER_FUZZ=1}
 * Jazzer fuzzes one target (see docs/operations.md, "Fuzzing"). Every input must leave the server
 * serving a well-behaved connection, leak no buffer, and let no exception escape the pipeline (the
 * server closes a misbehaving connection instead).
 */
@ExtendWith(NettyLeakCheck.class)
class WireFuzzTest {
  private static final int MAX_FRAME = 64 * 1024;
  private static final ListenSpec TCP = new ListenSpec(ListenSpec.Kind.TCP, "127.0.0.1", 0, "");
  private static final ListenSpec WS =
      new ListenSpec(ListenSpec.Kind.WEBSOCKET, "127.0.0.1", 0, "/ws");
  private static final byte[] UPGRADE =
      ("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
          .getBytes(US_ASCII);

  /** A fresh server now and then, so that what fuzzed inputs stored does not pile up. */
  private static final int INPUTS_PER_SERVER = 20_000;

  private static Harness harness;
  private static int inputs;

  @FuzzTest(maxDuration = "10m", maxExecutions = 1_000_000)
  void tcpStreamIntoTheServerPipeline(byte[] data) {
    Harness h = harness();
    EmbeddedChannel ch = h.open(TCP);
    feedServer(ch, data);
    h.finish(ch);
  }

  @FuzzTest(maxDuration = "10m", maxExecutions = 1_000_000)
  void webSocketFramesAfterTheUpgrade(byte[] data) {
    Harness h = harness();
    EmbeddedChannel ch = h.open(WS);
    ch.writeInbound(Unpooled.wrappedBuffer(UPGRADE));
    ch.runPendingTasks();
    releaseOutbound(ch); // the 101 response
    feedServer(ch, data);
    h.finish(ch);
  }

  @FuzzTest(maxDuration = "10m", maxExecutions = 1_000_000)
  void packetsThroughTheEngine(FuzzedDataProvider in) {
    Harness h = harness();
    EmbeddedChannel ch = h.open(TCP);
    if (in.consumeBoolean()) {
      long user = in.consumeLong(1, 3);
      ch.writeInbound(frame(signIn(user, in.consumeLong(1, 3), "token-" + user)));
    }
    while (in.remainingBytes() > 0 && ch.isOpen()) {
      Packet p =
          Packet.newBuilder()
              .setRequestId(in.consumeString(8))
              .setCommandValue(in.consumeInt(0, 9))
              .setSeq(in.consumeLong(0, 3))
              .setContent(ByteString.copyFrom(in.consumeBytes(in.consumeInt(0, 256))))
              .build();
      ch.writeInbound(frame(p));
      ch.runPendingTasks();
    }
    h.finish(ch);
  }

  @FuzzTest(maxDuration = "10m", maxExecutions = 1_000_000)
  void clientFrameDecoder(byte[] data) {
    int max = 4096;
    List<Packet> expected = new ArrayList<>();
    boolean expectError = referenceDecode(data, max, expected);
    EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(max));
    boolean failed = false;
    try {
      feedInChunks(ch, data);
    } catch (DecoderException e) {
      failed = true;
    }
    List<Packet> decoded = new ArrayList<>();
    for (Object m; (m = ch.readInbound()) != null; ) {
      decoded.add((Packet) m);
    }
    assertThat(decoded).isEqualTo(expected);
    assertThat(failed).as("fails exactly where the reference does").isEqualTo(expectError);
    ch.finishAndReleaseAll();
    assertThat(NettyLeakCheck.leaks()).isEmpty();
  }

  /**
   * Decodes frames the plain way, with {@link Framing} and protobuf; returns whether the stream
   * holds an error before it ends.
   */
  private static boolean referenceDecode(byte[] data, int max, List<Packet> out) {
    Framing.LengthParser parser = new Framing.LengthParser(max);
    int at = 1; // the first byte chooses the chunk size
    while (at < data.length) {
      parser.reset();
      Framing.Status status = Framing.Status.NEED_MORE;
      while (status == Framing.Status.NEED_MORE && at < data.length) {
        status = parser.next(data[at++]);
      }
      if (status == Framing.Status.NEED_MORE) {
        return false;
      } else if (status != Framing.Status.COMPLETE) {
        return true;
      } else if (data.length - at < parser.length()) {
        return false;
      }
      try {
        out.add(Packet.parseFrom(Arrays.copyOfRange(data, at, at + parser.length())));
      } catch (InvalidProtocolBufferException e) {
        return true;
      }
      at += parser.length();
    }
    return false;
  }

  /** Writes {@code data} after its first byte, in chunks of a size that first byte picks. */
  private static void feedInChunks(EmbeddedChannel ch, byte[] data) {
    int chunk = data.length == 0 ? 1 : 1 + (data[0] & 0x3F);
    for (int i = 1; i < data.length && ch.isOpen(); i += chunk) {
      ch.writeInbound(Unpooled.copiedBuffer(data, i, Math.min(chunk, data.length - i)));
      ch.runPendingTasks();
    }
  }

  /**
   * {@link #feedInChunks} into a server pipeline. An exception may surface only once the server has
   * closed the connection: an embedded channel takes its handlers down at once, so what a decoder
   * throws right after its own close reaches the pipeline's end (on a socket, the session handler
   * still sees it and the connection is closed anyway).
   */
  private static void feedServer(EmbeddedChannel ch, byte[] data) {
    try {
      feedInChunks(ch, data);
    } catch (RuntimeException e) {
      if (ch.isOpen()) {
        throw e;
      }
    }
  }

  private static Harness harness() {
    if (harness == null || ++inputs % INPUTS_PER_SERVER == 0) {
      if (harness != null) {
        harness.server.close();
      }
      harness = new Harness();
    }
    return harness;
  }

  private static ByteBuf frame(Packet p) {
    return Unpooled.wrappedBuffer(Framing.frame(p));
  }

  private static Packet signIn(long user, long device, String token) {
    return Packet.newBuilder()
        .setRequestId("in")
        .setCommand(PacketCommand.PC_SIGN_IN)
        .setContent(
            SignInRequest.newBuilder()
                .setUserId(user)
                .setDeviceId(device)
                .setToken(token)
                .build()
                .toByteString())
        .build();
  }

  private static byte[] releaseOutbound(EmbeddedChannel ch) {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    for (Object m; (m = ch.readOutbound()) != null; ) {
      if (m instanceof ByteBuf buf) {
        bytes.writeBytes(io.netty.buffer.ByteBufUtil.getBytes(buf));
      }
      io.netty.util.ReferenceCountUtil.release(m);
    }
    return bytes.toByteArray();
  }

  /** A real engine with in-memory stores, its connections on embedded channels. */
  private static final class Harness {
    final GimServer server;
    final ServerPipeline pipeline;

    Harness() {
      AtomicReference<ServerPipeline> made = new AtomicReference<>();
      server =
          GimServer.builder()
              .auth(
                  (user, device, token) ->
                      CompletableFuture.completedFuture(
                          token.equals("token-" + user)
                              ? AuthResult.allowed()
                              : AuthResult.denied("bad token")))
              .tcp("127.0.0.1", 0)
              .maxFrameBytes(MAX_FRAME)
              .transport(
                  (config, acceptor) -> {
                    made.set(new ServerPipeline(config, acceptor));
                    return new NoSockets();
                  })
              .build();
      server.start().join();
      pipeline = made.get();
    }

    EmbeddedChannel open(ListenSpec spec) {
      EmbeddedChannel ch = new EmbeddedChannel(false, true);
      pipeline.init(ch.pipeline(), spec);
      try {
        ch.register(); // channel-active now: the engine's session starts with the handlers in place
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      return ch;
    }

    /** Closes the fuzzed channel and checks that the server still serves others. */
    void finish(EmbeddedChannel fuzzed) {
      fuzzed.runPendingTasks();
      if (fuzzed.isOpen()) {
        fuzzed.checkException(); // nothing escaped the pipeline of a connection still served
      }
      releaseOutbound(fuzzed);
      fuzzed.finishAndReleaseAll();
      assertServesAWellBehavedConnection();
      assertThat(NettyLeakCheck.leaks()).isEmpty();
    }

    private void assertServesAWellBehavedConnection() {
      EmbeddedChannel good = open(TCP);
      Packet beat =
          Packet.newBuilder().setRequestId("hb").setCommand(PacketCommand.PC_HEARTBEAT).build();
      good.writeInbound(frame(signIn(9, 1, "token-9")), frame(beat));
      good.runPendingTasks();
      List<Packet> replies = new ArrayList<>();
      referenceDecode(prefixed(releaseOutbound(good)), Integer.MAX_VALUE, replies);
      assertThat(replies).hasSizeGreaterThanOrEqualTo(2);
      try {
        assertThat(Reply.parseFrom(replies.get(0).getContent()).getCode()).isZero();
      } catch (InvalidProtocolBufferException e) {
        throw new AssertionError(e);
      }
      assertThat(replies).contains(beat);
      good.finishAndReleaseAll();
    }

    private static byte[] prefixed(byte[] stream) {
      byte[] out = new byte[stream.length + 1];
      System.arraycopy(stream, 0, out, 1, stream.length);
      return out;
    }
  }

  /** The server's sockets are not used: the fuzz targets bring their own embedded channels. */
  private static final class NoSockets implements Transport {
    @Override
    public CompletableFuture<Void> start() {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public int activePort(ListenSpec.Kind kind) {
      return 0;
    }

    @Override
    public CompletableFuture<Void> close() {
      return CompletableFuture.completedFuture(null);
    }
  }
}
