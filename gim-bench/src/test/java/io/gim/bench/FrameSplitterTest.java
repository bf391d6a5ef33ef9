package io.gim.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.gim.protocol.Framing;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FrameSplitterTest {

  /** Frames of random bodies, 0 to 400 bytes (one- and two-byte lengths). */
  private static List<byte[]> bodies(int count, Random random) {
    List<byte[]> bodies = new ArrayList<>();
    for (int f = 0; f < count; f++) {
      byte[] body = new byte[f % 5 == 0 ? 0 : random.nextInt(400)];
      random.nextBytes(body);
      bodies.add(body);
    }
    return bodies;
  }

  private static byte[] stream(List<byte[]> bodies) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    bodies.forEach(b -> out.writeBytes(Framing.frame(b)));
    return out.toByteArray();
  }

  private static List<byte[]> split(byte[] stream, int[] cuts) {
    FrameSplitter s = new FrameSplitter();
    List<byte[]> got = new ArrayList<>();
    int from = 0;
    for (int cut : cuts) {
      s.split(
          Unpooled.wrappedBuffer(stream, from, cut - from),
          (buf, offset, length) -> got.add(ByteBufUtil.getBytes(buf, offset, length)));
      from = cut;
    }
    return got;
  }

  @Test
  void handsOverEveryFrameOfOneRead() {
    List<byte[]> bodies = bodies(50, new Random(1));
    byte[] stream = stream(bodies);
    assertThat(split(stream, new int[] {stream.length})).containsExactlyElementsOf(bodies);
  }

  @Test
  void handsOverEveryFrameWhenReadsSplitLengthsAndBodiesAnywhere() {
    Random random = new Random(2);
    List<byte[]> bodies = bodies(300, random);
    byte[] stream = stream(bodies);
    for (int round = 0; round < 50; round++) {
      List<Integer> cuts = new ArrayList<>();
      for (int at = 0; at < stream.length; ) {
        at = Math.min(stream.length, at + 1 + random.nextInt(round % 2 == 0 ? 3 : 700));
        cuts.add(at);
      }
      int[] c = cuts.stream().mapToInt(Integer::intValue).toArray();
      assertThat(split(stream, c)).containsExactlyElementsOf(bodies);
    }
  }

  @Test
  void handsOverEveryFrameReadOneByteAtATime() {
    List<byte[]> bodies = bodies(40, new Random(3));
    byte[] stream = stream(bodies);
    int[] cuts = new int[stream.length];
    for (int i = 0; i < cuts.length; i++) {
      cuts[i] = i + 1;
    }
    assertThat(split(stream, cuts)).containsExactlyElementsOf(bodies);
  }
}
