package io.gim.bench.jmh;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import io.gim.protocol.Framing;
import io.gim.protocol.Message;
import io.gim.protocol.MessageCommand;
import io.gim.protocol.Packet;
import io.gim.protocol.PacketCommand;
import io.gim.protocol.RoomMessagePush;
import io.gim.protocol.User;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The hot paths of a delivery: framing a packet ({@code uvarint(len) ++ Packet}), reading one back,
 * and encoding a push for fan-out — once per room message, or once per receiver when each gets its
 * own seq (inbox messages).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
public class CodecBenchmark {
  @Param({"100"})
  int payload;

  private Message template;
  private byte[] frame;

  @Setup
  public void setUp() {
    RoomMessagePush push =
        RoomMessagePush.newBuilder()
            .setFromUser(User.newBuilder().setUserId(1).setDeviceId(1))
            .setRoomId(7)
            .setContent(ByteString.copyFrom(new byte[payload]))
            .build();
    template =
        Message.newBuilder()
            .setCommand(MessageCommand.MC_ROOM_MESSAGE)
            .setRoomId(7)
            .setContent(push.toByteString())
            .build();
    frame = encodeFrame();
  }

  @Benchmark
  public byte[] encodeFrame() {
    Packet p =
        Packet.newBuilder()
            .setCommand(PacketCommand.PC_MESSAGE)
            .setContent(template.toByteString())
            .build();
    return Framing.frame(p);
  }

  @Benchmark
  public Packet decodeFrame() throws IOException {
    Framing.LengthParser parser = new Framing.LengthParser(Integer.MAX_VALUE);
    int at = 0;
    while (parser.next(frame[at++]) == Framing.Status.NEED_MORE) {}
    return Packet.parseFrom(CodedInputStream.newInstance(frame, at, parser.length()));
  }

  /** Inbox fan-out to 100 receivers: one encode per receiver, since each has its own seq. */
  @Benchmark
  public int encodePerReceiver100() {
    int bytes = 0;
    for (int seq = 1; seq <= 100; seq++) {
      Message m = template.toBuilder().setSeq(seq).build();
      bytes +=
          Packet.newBuilder()
              .setCommand(PacketCommand.PC_MESSAGE)
              .setContent(m.toByteString())
              .build()
              .toByteArray()
              .length;
    }
    return bytes;
  }
}
