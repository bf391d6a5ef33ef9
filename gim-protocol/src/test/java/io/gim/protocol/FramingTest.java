package io.gim.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import io.gim.protocol.Framing.LengthParser;
import io.gim.protocol.Framing.Status;
import java.io.IOException;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The test vectors of the length prefix, for every reader and writer of frames. */
class FramingTest {
  private static final int MIB = 1 << 20;

  /** Lengths and their prefixes, as Go's binary.PutUvarint writes them. */
  static Stream<Arguments> encodings() {
    return Stream.of(
        Arguments.of(0, "00"),
        Arguments.of(1, "01"),
        Arguments.of(127, "7f"),
        Arguments.of(128, "8001"),
        Arguments.of(300, "ac02"),
        Arguments.of(16383, "ff7f"),
        Arguments.of(16384, "808001"),
        Arguments.of((1 << 21) - 1, "ffff7f"),
        Arguments.of(1 << 21, "80808001"),
        Arguments.of((1 << 28) - 1, "ffffff7f"),
        Arguments.of(1 << 28, "8080808001"),
        Arguments.of(Integer.MAX_VALUE, "ffffffff07"));
  }

  /**
   * Prefixes read with a maximum of 1 MiB: what a reader must conclude, and after how many bytes.
   */
  static Stream<Arguments> readings() {
    return Stream.of(
        Arguments.of("00", Status.COMPLETE, 1, 0L),
        Arguments.of("7f", Status.COMPLETE, 1, 127L),
        Arguments.of("8001", Status.COMPLETE, 2, 128L),
        Arguments.of("808040", Status.COMPLETE, 3, (long) MIB), // exactly the maximum
        Arguments.of("818040", Status.TOO_LONG, 3, MIB + 1L),
        Arguments.of("80808001", Status.TOO_LONG, 4, 1L << 21),
        Arguments.of("ffffffff07", Status.TOO_LONG, 5, (long) Integer.MAX_VALUE),
        Arguments.of("ffffffff0f", Status.TOO_LONG, 5, 0xFFFF_FFFFL), // past a signed int
        Arguments.of("ffffffff7f", Status.TOO_LONG, 5, (1L << 35) - 1),
        Arguments.of("8080808080", Status.MALFORMED, 5, 0L), // a sixth byte would follow
        Arguments.of("8000", Status.COMPLETE, 2, 0L), // not minimal; Go and protobuf accept it
        Arguments.of("", Status.NEED_MORE, 0, 0L),
        Arguments.of("80", Status.NEED_MORE, 1, 0L), // truncated
        Arguments.of("ffffff", Status.NEED_MORE, 3, (1L << 21) - 1),
        Arguments.of("80808080", Status.NEED_MORE, 4, 0L));
  }

  @ParameterizedTest
  @MethodSource("encodings")
  void writesTheShortestPrefixAsGoAndProtobufDo(int length, String hex) throws IOException {
    byte[] expected = HexFormat.of().parseHex(hex);
    assertThat(Framing.prefixSize(length)).isEqualTo(expected.length);
    byte[] dst = new byte[expected.length + 2];
    assertThat(Framing.writePrefix(length, dst, 1)).isEqualTo(1 + expected.length);
    assertThat(HexFormat.of().formatHex(dst, 1, 1 + expected.length)).isEqualTo(hex);
    for (int i = 0; i < expected.length; i++) {
      assertThat(Framing.prefixByte(length, i)).isEqualTo(expected[i]);
    }
    assertThat(expected).isEqualTo(protobufUInt32(length));
  }

  @ParameterizedTest
  @MethodSource("encodings")
  void readsBackEveryPrefixItWrites(int length, String hex) {
    LengthParser parser = new LengthParser(Integer.MAX_VALUE);
    assertThat(feed(parser, HexFormat.of().parseHex(hex))).isEqualTo(Status.COMPLETE);
    assertThat(parser.length()).isEqualTo(length);
    assertThat(parser.prefixBytes()).isEqualTo(hex.length() / 2);
  }

  @ParameterizedTest
  @MethodSource("readings")
  void decidesFromThePrefixAloneBeforeAnyBodyIsRead(
      String hex, Status status, int prefixBytes, long announced) {
    LengthParser parser = new LengthParser(MIB);
    assertThat(feed(parser, HexFormat.of().parseHex(hex))).isEqualTo(status);
    assertThat(parser.prefixBytes()).isEqualTo(prefixBytes);
    assertThat(parser.announcedLength()).isEqualTo(announced);
    // A decision sticks: bytes after it (the body, or more garbage) do not change it.
    if (status != Status.NEED_MORE) {
      assertThat(parser.next((byte) 0x80)).isEqualTo(status);
      assertThat(parser.prefixBytes()).isEqualTo(prefixBytes);
    }
  }

  @Test
  void readsOnePrefixAfterAnotherOnceReset() {
    LengthParser parser = new LengthParser(MIB);
    assertThat(feed(parser, new byte[] {(byte) 0xff, (byte) 0xff, 0x7f}))
        .isEqualTo(Status.TOO_LONG);
    assertThatThrownBy(parser::length).isInstanceOf(IllegalStateException.class);
    parser.reset();
    assertThat(feed(parser, new byte[] {(byte) 0xac, 0x02})).isEqualTo(Status.COMPLETE);
    assertThat(parser.length()).isEqualTo(300);
  }

  @Test
  void framesABodyOrAMessageBehindItsPrefix() throws IOException {
    Packet packet =
        Packet.newBuilder()
            .setRequestId("r")
            .setContent(ByteString.copyFrom(new byte[200]))
            .build();
    byte[] frame = Framing.frame(packet);
    assertThat(frame).isEqualTo(Framing.frame(packet.toByteArray()));
    CodedInputStream in = CodedInputStream.newInstance(frame);
    assertThat(in.readUInt32()).isEqualTo(packet.getSerializedSize());
    assertThat(Packet.parseFrom(in.readRawBytes(packet.getSerializedSize()))).isEqualTo(packet);
    assertThat(in.isAtEnd()).isTrue();
  }

  @Test
  void agreesWithProtobufOnRandomLengths() throws IOException {
    SplittableRandom random = new SplittableRandom(42);
    LengthParser parser = new LengthParser(Integer.MAX_VALUE);
    for (int i = 0; i < 10_000; i++) {
      int length = random.nextInt(Integer.MAX_VALUE) >>> random.nextInt(31);
      byte[] prefix = new byte[Framing.prefixSize(length)];
      Framing.writePrefix(length, prefix, 0);
      assertThat(prefix).isEqualTo(protobufUInt32(length));
      parser.reset();
      assertThat(feed(parser, prefix)).isEqualTo(Status.COMPLETE);
      assertThat(parser.length()).isEqualTo(length);
    }
  }

  @Test
  void refusesNegativeLengthsAndPrefixesThatDoNotFit() {
    assertThatThrownBy(() -> Framing.prefixSize(-1)).hasMessage("length: -1 (expected: >= 0)");
    assertThatThrownBy(() -> new LengthParser(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Framing.writePrefix(128, new byte[2], 1))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }

  private static Status feed(LengthParser parser, byte[] bytes) {
    Status status = Status.NEED_MORE;
    for (byte b : bytes) {
      status = parser.next(b);
    }
    return status;
  }

  private static byte[] protobufUInt32(int value) throws IOException {
    byte[] out = new byte[CodedOutputStream.computeUInt32SizeNoTag(value)];
    CodedOutputStream coded = CodedOutputStream.newInstance(out);
    coded.writeUInt32NoTag(value);
    coded.checkNoSpaceLeft();
    return out;
  }
}
