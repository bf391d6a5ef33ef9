package io.gim.transport.netty.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gim.transport.netty.NettyLeakCheck;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
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

  private static byte[] readFrame(EmbeddedChannel ch) {
    ByteBuf buf = ch.readOutbound();
    try {
      int length = buf.readByte(); // every test packet is shorter than 128 bytes
      byte[] body = new byte[length];
      buf.readBytes(body);
      assertThat(buf.isReadable()).isFalse();
      return body;
    } finally {
      buf.release();
    }
  }

  @Test
  void writesABurstInOrderWithOneFlushPerChannel() {
    FlushCounter flushes = new FlushCounter();
    EmbeddedChannel ch = new EmbeddedChannel(flushes);
    LoopOutbox outbox = new LoopOutbox(ch.eventLoop());
    List<byte[]> sent = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      byte[] p = {(byte) i, 42};
      sent.add(p);
      outbox.send(ch, true, p);
    }
    ch.runPendingTasks();

    for (byte[] p : sent) {
      assertThat(readFrame(ch)).containsExactly(p);
    }
    assertThat(flushes.flushes).isEqualTo(1);
    ch.finishAndReleaseAll();
  }

  @Test
  void framesOnePacketOnceForEveryChannelOfTheLoop() {
    EmbeddedChannel a = new EmbeddedChannel();
    EmbeddedChannel b = new EmbeddedChannel();
    // Embedded channels each have their own loop; register both with one outbox as one loop would.
    LoopOutbox outbox = new LoopOutbox(a.eventLoop());
    byte[] shared = {7, 7, 7};
    outbox.send(a, true, shared);
    outbox.send(b, true, shared);
    a.runPendingTasks();

    ByteBuf fromA = a.readOutbound();
    ByteBuf fromB = b.readOutbound();
    assertThat(fromA.readableBytes()).isEqualTo(4);
    fromA.setByte(1, 99);
    assertThat(fromB.getByte(1)).as("both are views of one framed buffer").isEqualTo((byte) 99);
    fromA.release();
    fromB.release();
    assertThat(fromA.refCnt()).as("the outbox released its own reference").isZero();
    a.finishAndReleaseAll();
    b.finishAndReleaseAll();
  }

  @Test
  void aQueuedCloseHappensAfterThePacketsQueuedBeforeIt() {
    EmbeddedChannel ch = new EmbeddedChannel();
    LoopOutbox outbox = new LoopOutbox(ch.eventLoop());
    outbox.send(ch, false, new byte[] {1});
    outbox.close(ch);
    outbox.send(ch, false, new byte[] {2}); // after the close: dropped
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
  void aPacketWhoseFramingFailsReleasesThePreviousFrameOnceAndKeepsItsError() {
    EmbeddedChannel ch = new EmbeddedChannel();
    ch.config().setAllocator(new FailingAllocator(1));
    LoopOutbox outbox = new LoopOutbox(ch.eventLoop());
    outbox.send(ch, true, new byte[] {1});
    outbox.send(ch, true, new byte[] {2}); // framing fails after the first frame was released

    ch.runPendingTasks();

    assertThatThrownBy(ch::checkException).hasMessage("test: no direct memory left");
    assertThat(readFrame(ch)).as("the first frame was not freed under its write").containsExactly(1);
    ch.finishAndReleaseAll();
  }
}
