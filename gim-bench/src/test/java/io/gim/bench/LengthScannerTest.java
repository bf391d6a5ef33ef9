package io.gim.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LengthScannerTest {

  /** {@code count} frames of random lengths (0 to 300, so one- and two-byte lengths). */
  private static byte[] stream(int count, Random random) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int f = 0; f < count; f++) {
      int length = f % 7 == 0 ? 0 : random.nextInt(300);
      int v = length;
      while ((v & ~0x7f) != 0) {
        out.write((v & 0x7f) | 0x80);
        v >>>= 7;
      }
      out.write(v);
      byte[] body = new byte[length];
      random.nextBytes(body); // bodies full of bytes that look like lengths
      out.writeBytes(body);
    }
    return out.toByteArray();
  }

  @Test
  void countsEveryFrameWhereverTheReadsSplitLengthsAndBodies() {
    Random random = new Random(42);
    byte[] bytes = stream(1_000, random);
    for (int trial = 0; trial < 50; trial++) {
      LengthScanner scanner = new LengthScanner();
      long frames = 0;
      int at = 0;
      while (at < bytes.length) {
        int n = Math.min(bytes.length - at, 1 + random.nextInt(trial < 10 ? 3 : 700));
        ByteBuf read = Unpooled.wrappedBuffer(bytes, at, n);
        frames += scanner.scan(read);
        assertThat(read.readableBytes()).isEqualTo(n); // scanned, not consumed
        at += n;
      }
      assertThat(frames).isEqualTo(1_000);
    }
  }

  @Test
  void aFrameCountsOnlyOnceItsLastByteArrived() {
    LengthScanner scanner = new LengthScanner();
    assertThat(scanner.scan(Unpooled.wrappedBuffer(new byte[] {3, 1, 2}))).isZero();
    assertThat(scanner.scan(Unpooled.wrappedBuffer(new byte[] {3, 0}))).isEqualTo(2);
  }
}
