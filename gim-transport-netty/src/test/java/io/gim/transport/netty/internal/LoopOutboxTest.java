package io.gim.transport.netty.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.gim.transport.netty.NettyLeakCheck;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NettyLeakCheck.class)
class LoopOutboxTest {

  /** Counts flushes reaching the head of the pipeline. */
  private static final class FlushCounter extends ChannelOutboundHandlerAdapter {
    int flushes;

    @Override
    public void flush(ChannelHandlerContext ctx) {
      flushes++;
      ctx.flush();
    }
  }

  /** The bodies of the frames in {@code buf}, each at most 127 bytes; releases it. */
  private static List<byte[]> readFrames(ByteBuf buf) {
    List<byte[]> bodies = new ArrayList<>();
    try {
      while (buf.isReadable()) {
        byte[] body = new byte[buf.readByte()];
        buf.readBytes(body);
        bodies.add(body);
      }
      return bodies;
    } finally {
      buf.release();
    }
  }

  @Test
  void writesABurstInOrderAsOneBufferWithOneFlush() {
    FlushCounter flushes = new FlushCounter();
    EmbeddedChannel ch = new EmbeddedChannel(flushes);
    ChannelOutbound out = new LoopOutbox(ch.eventLoop(), Long.MAX_VALUE).register(ch, true);
    List<byte[]> sent = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      byte[] p = {(byte) i, 42};
      sent.add(p);
      out.send(p);
    }
    assertThat((Object) ch.readOutbound()).as("nothing is written before the drain").isNull();
    ch.runPendingTasks();

    assertThat(readFrames(ch.readOutbound())).containsExactlyElementsOf(sent);
    assertThat((Object) ch.readOutbound()).as("one write for the whole burst").isNull();
    assertThat(flushes.flushes).isEqualTo(1);
    ch.finishAndReleaseAll();
  }

  @Test
  void packetsFromOtherThreadsGoFirstAndAllArriveInOrder() throws Exception {
    EmbeddedChannel ch = new EmbeddedChannel();
    ChannelOutbound out = new LoopOutbox(ch.eventLoop(), Long.MAX_VALUE).register(ch, true);
    Thread other = new Thread(() -> out.send(new byte[] {1})); // queued: not the loop's thread
    other.start();
    other.join();
    out.send(new byte[] {2}); // on the loop, but behind the queued packet
    ch.runPendingTasks();

    assertThat(readFrames(ch.readOutbound())).containsExactly(new byte[] {1}, new byte[] {2});
    ch.finishAndReleaseAll();
  }

  /** A packet too big to be copied into each channel's buffer. */
  private static byte[] large(int fill) {
    byte[] p = new byte[600];
    java.util.Arrays.fill(p, (byte) fill);
    return p;
  }

  @Test
  void framesALargePacketOnceForEveryChannelOfTheLoop() {
    EmbeddedChannel a = new EmbeddedChannel();
    EmbeddedChannel b = new EmbeddedChannel();
    // Embedded channels each have their own loop; register both with one outbox as one loop would.
    LoopOutbox outbox = new LoopOutbox(a.eventLoop(), Long.MAX_VALUE);
    byte[] shared = large(7);
    ChannelOutbound toA = outbox.register(a, true);
    toA.send(new byte[] {1}); // a small one first: appended, and written before the large one
    toA.send(shared);
    outbox.register(b, true).send(shared);
    a.runPendingTasks();

    assertThat(readFrames(a.readOutbound())).containsExactly(new byte[] {1});
    ByteBuf fromA = a.readOutbound();
    ByteBuf fromB = b.readOutbound();
    assertThat(fromA.readableBytes()).isEqualTo(602);
    fromA.setByte(2, 99);
    assertThat(fromB.getByte(2)).as("both are views of one framed buffer").isEqualTo((byte) 99);
    fromA.release();
    fromB.release();
    assertThat(fromA.refCnt()).as("the outbox released its own reference").isZero();
    a.finishAndReleaseAll();
    b.finishAndReleaseAll();
  }

  @Test
  void aSmallPacketForSeveralChannelsArrivesWholeOnEachBesideTheirOwnPackets() {
    EmbeddedChannel a = new EmbeddedChannel();
    EmbeddedChannel b = new EmbeddedChannel();
    EmbeddedChannel c = new EmbeddedChannel();
    LoopOutbox outbox = new LoopOutbox(a.eventLoop(), Long.MAX_VALUE);
    ChannelOutbound toA = outbox.register(a, true);
    ChannelOutbound toB = outbox.register(b, true);
    ChannelOutbound toC = outbox.register(c, true);
    byte[] shared = {5, 6, 7};
    // The first channel of a packet gets it appended as it is, the others a frame made once; a
    // packet in between must not leave either behind for the next one.
    toA.send(new byte[] {1});
    toA.send(shared);
    toB.send(shared);
    toB.send(new byte[] {2, 2});
    toC.send(shared);
    toC.send(new byte[] {3});
    toA.send(new byte[] {4});
    a.runPendingTasks();

    assertThat(readFrames(a.readOutbound()))
        .containsExactly(new byte[] {1}, shared, new byte[] {4});
    assertThat(readFrames(b.readOutbound())).containsExactly(shared, new byte[] {2, 2});
    assertThat(readFrames(c.readOutbound())).containsExactly(shared, new byte[] {3});
    a.finishAndReleaseAll();
    b.finishAndReleaseAll();
    c.finishAndReleaseAll();
  }

  @Test
  void aQueuedCloseHappensAfterThePacketsQueuedBeforeIt() {
    EmbeddedChannel ch = new EmbeddedChannel();
    ChannelOutbound out = new LoopOutbox(ch.eventLoop(), Long.MAX_VALUE).register(ch, false);
    out.send(new byte[] {1});
    out.close();
    out.send(new byte[] {2}); // after the close: dropped
    ch.runPendingTasks();

    assertThat((byte[]) ch.readOutbound()).containsExactly(1);
    assertThat(ch.isOpen()).isFalse();
    Object rest = ch.readOutbound();
    while (rest instanceof ByteBuf empty && !empty.isReadable()) {
      empty.release();
      rest = ch.readOutbound();
    }
    assertThat(rest).isNull();
    ch.finishAndReleaseAll();
  }

  /** Hands out a number of buffers, then fails, like a direct-memory limit being reached. */
  private static final class FailingAllocator extends AbstractByteBufAllocator {
    /** Not tracked itself: this allocator's own buffers are the ones leak detection watches. */
    private static final ByteBufAllocator UNTRACKED = new UnpooledByteBufAllocator(true, true);

    private int buffersLeft;

    FailingAllocator(int buffers) {
      this.buffersLeft = buffers;
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
      return newDirectBuffer(initialCapacity, maxCapacity);
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
      if (buffersLeft-- == 0) {
        throw new IllegalStateException("test: no direct memory left");
      }
      return UNTRACKED.directBuffer(initialCapacity, maxCapacity);
    }

    @Override
    public boolean isDirectBufferPooled() {
      return false;
    }
  }

  @Test
  void aPacketThatCannotBeBufferedClosesTheConnectionAfterTheOnesBefore() {
    EmbeddedChannel ch = new EmbeddedChannel();
    ch.config().setAllocator(new FailingAllocator(1));
    ChannelOutbound out = new LoopOutbox(ch.eventLoop(), Long.MAX_VALUE).register(ch, true);
    out.send(large(1));
    out.send(large(2)); // framing fails after the first frame was released

    ch.runPendingTasks();

    ByteBuf first = ch.readOutbound();
    assertThat(first.getByte(2))
        .as("the first frame was not freed under its write")
        .isEqualTo((byte) 1);
    first.release();
    assertThat((Object) ch.readOutbound()).isNull();
    assertThat(ch.isOpen()).as("no silent hole in the stream: the client reconnects").isFalse();
    ch.finishAndReleaseAll();
  }

  /** A channel whose writability the test switches, wired to its outbound as SessionBridge is. */
  private static final class Switchable {
    final EmbeddedChannel ch = new EmbeddedChannel();
    final ChannelOutbound out;

    Switchable(long maxPendingBytes) {
      out = new LoopOutbox(ch.eventLoop(), maxPendingBytes).register(ch, true);
      ch.pipeline()
          .addLast(
              new ChannelInboundHandlerAdapter() {
                @Override
                public void channelWritabilityChanged(ChannelHandlerContext ctx) {
                  out.writabilityChanged();
                }
              });
    }

    void writable(boolean writable) {
      ch.unsafe().outboundBuffer().setUserDefinedWritability(1, writable);
      ch.runPendingTasks();
    }

    /** The first body byte of every frame written since the last call. */
    List<Byte> written() {
      List<Byte> firstBytes = new ArrayList<>();
      for (Object m; (m = ch.readOutbound()) != null; ) {
        for (byte[] body : readFrames((ByteBuf) m)) {
          firstBytes.add(body[0]);
        }
      }
      return firstBytes;
    }

    /** How many buffers were written since the last call; consumes them. */
    int writes() {
      int n = 0;
      for (Object m; (m = ch.readOutbound()) != null; n++) {
        ((ByteBuf) m).release();
      }
      return n;
    }
  }

  @Test
  void packetsForAnUnwritableChannelWaitAndThePriorityLaneOvertakesTheOrdinaryOne() {
    Switchable s = new Switchable(Long.MAX_VALUE);
    s.out.send(new byte[] {1});
    s.ch.runPendingTasks();
    s.writable(false);
    s.out.send(new byte[] {2});
    s.out.send(new byte[] {3});
    s.out.sendPriority(new byte[] {10});
    s.out.sendPriority(new byte[] {11});
    s.out.send(new byte[] {4});
    s.ch.runPendingTasks();
    assertThat(s.written())
        .as("only what came before the channel filled up")
        .containsExactly((byte) 1);

    s.writable(true);
    assertThat(s.written())
        .as("priority lane first, each lane in its own order")
        .containsExactly((byte) 10, (byte) 11, (byte) 2, (byte) 3, (byte) 4);
    s.out.send(new byte[] {5});
    s.ch.runPendingTasks();
    assertThat(s.written()).as("written through again once drained").containsExactly((byte) 5);
    s.ch.finishAndReleaseAll();
  }

  @Test
  void heldPacketsLeaveTogetherInOneWriteOnceTheChannelDrains() {
    Switchable s = new Switchable(Long.MAX_VALUE);
    s.writable(false);
    for (int i = 0; i < 100; i++) {
      s.out.send(new byte[] {(byte) i, 1, 2, 3});
    }
    s.ch.runPendingTasks();
    assertThat(s.writes()).isZero();

    s.writable(true);
    assertThat(s.writes()).isEqualTo(1);
    s.ch.finishAndReleaseAll();
  }

  @Test
  void heldBytesCountTowardsTheSlowConsumerLimit() {
    Switchable s = new Switchable(12); // each test frame is 2 bytes: prefix and body
    s.writable(false);
    for (int i = 0; i < 6; i++) {
      s.out.send(new byte[] {(byte) i});
    }
    s.ch.runPendingTasks();
    assertThat(s.ch.isOpen()).as("12 bytes held: at the limit").isTrue();

    s.out.sendPriority(new byte[] {9});
    s.ch.runPendingTasks();
    assertThat(s.ch.isOpen()).as("past the limit").isFalse();
    assertThat(s.written()).isEmpty();
    s.ch.finishAndReleaseAll();
  }

  @Test
  void aCloseQueuedBehindHeldPacketsWaitsUntilTheyAreWritten() {
    Switchable s = new Switchable(Long.MAX_VALUE);
    s.writable(false);
    s.out.send(new byte[] {1});
    s.out.close();
    s.out.sendPriority(new byte[] {2}); // after the close: dropped
    s.ch.runPendingTasks();
    assertThat(s.ch.isOpen()).isTrue();

    s.writable(true);
    assertThat(s.written()).containsExactly((byte) 1);
    assertThat(s.ch.isOpen()).isFalse();
    s.ch.finishAndReleaseAll();
  }
}
