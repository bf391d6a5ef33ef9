package io.gim.client;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.gim.client.internal.FrameDecoder;
import io.gim.client.internal.FrameEncoder;
import io.gim.protocol.Message;
import io.gim.protocol.MessageCommand;
import io.gim.protocol.Packet;
import io.gim.protocol.PacketCommand;
import io.gim.protocol.Reply;
import io.gim.protocol.SendReply;
import io.gim.protocol.SyncReply;
import io.gim.protocol.SyncRequest;
import io.gim.protocol.User;
import io.gim.protocol.UserMessagePush;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for the real server (which lives in another module): answers the protocol from a fixed
 * inbox over real TCP on port 0, and records what it received. Thread-safe.
 */
final class ScriptedServer implements AutoCloseable {

  final List<Packet> received = new CopyOnWriteArrayList<>();
  final List<Message> inbox = new CopyOnWriteArrayList<>();
  final List<Channel> connections = new CopyOnWriteArrayList<>();
  final List<SyncRequest> syncs = new CopyOnWriteArrayList<>();
  volatile int signInCode;

  /** The store's seq space; a test changes it to play a store that lost its seqs. */
  volatile long epoch = 1;

  /** The sync request (counting from 1 over every connection) that closes its connection. */
  volatile int dropAtSync;

  /** The largest ack of any of the user's devices, where {@code seq = 0} starts. */
  volatile long largestAck;

  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel server;
  private volatile boolean closed;

  ScriptedServer() {
    server =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    connections.add(ch);
                    ch.pipeline()
                        .addLast(
                            new FrameDecoder(1 << 20), new FrameEncoder(1 << 20), new Responder());
                  }
                })
            .bind(0)
            .syncUninterruptibly()
            .channel();
  }

  int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  Channel latest() {
    return connections.get(connections.size() - 1);
  }

  /** Stores an inbox message that the next sync returns. */
  Message store(long seq) {
    return store(seq, 1000 + seq);
  }

  /** Stores an inbox message with a chosen id, e.g. an old message re-numbered in a new epoch. */
  Message store(long seq, long messageId) {
    Message m =
        Message.newBuilder()
            .setCommand(MessageCommand.MC_USER_MESSAGE)
            .setSeq(seq)
            .setMessageId(messageId)
            .setCreatedAt(1_700_000_000L)
            .setContent(
                UserMessagePush.newBuilder()
                    .setFromUser(User.newBuilder().setUserId(43).setDeviceId(2).setNickname("bo"))
                    .setToUserId(42)
                    .setContent(ByteString.copyFromUtf8("m" + seq))
                    .build()
                    .toByteString())
            .build();
    inbox.add(m);
    return m;
  }

  void push(Message m) {
    latest()
        .writeAndFlush(
            Packet.newBuilder()
                .setCommand(PacketCommand.PC_MESSAGE)
                .setContent(m.toByteString())
                .build());
  }

  void kickOut() {
    Reply why = Reply.newBuilder().setCode(10301).setMessage("signed in elsewhere").build();
    Channel ch = latest();
    ch.writeAndFlush(
            Packet.newBuilder()
                .setCommand(PacketCommand.PC_KICK_OUT)
                .setContent(why.toByteString())
                .build())
        .addListener(f -> ch.close());
  }

  List<Long> acks() {
    return received.stream()
        .filter(p -> p.getCommand() == PacketCommand.PC_ACK)
        .map(
            p -> {
              try {
                return io.gim.protocol.MessageACKRequest.parseFrom(p.getContent()).getDeviceAck();
              } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException(e);
              }
            })
        .toList();
  }

  /** Answers a sync as PROTOCOL.md says, {@code start_seq} and exact {@code has_more} included. */
  private ByteString syncPage(SyncRequest request) {
    syncs.add(request);
    long from = request.getFromStart() ? 0 : request.getSeq() == 0 ? largestAck : request.getSeq();
    int limit = request.getLimit() == 0 ? 50 : request.getLimit();
    List<Message> after = inbox.stream().filter(m -> m.getSeq() > from).toList();
    return SyncReply.newBuilder()
        .setEpoch(epoch)
        .setStartSeq(from)
        .addAllMessages(after.subList(0, Math.min(limit, after.size())))
        .setHasMore(after.size() > limit)
        .build()
        .toByteString();
  }

  /** Closes the listening socket and every connection; idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    server.close().syncUninterruptibly();
    // Every connection ends now, as when a node dies, not whenever the group's shutdown gets to it.
    connections.forEach(ch -> ch.close().syncUninterruptibly());
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private final class Responder extends SimpleChannelInboundHandler<Packet> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Packet p) throws Exception {
      received.add(p);
      Reply.Builder reply = Reply.newBuilder();
      switch (p.getCommand()) {
        case PC_HEARTBEAT -> {
          ctx.writeAndFlush(p);
          return;
        }
        case PC_SIGN_IN ->
            reply.setCode(signInCode).setMessage(signInCode == 0 ? "" : "unauthorized");
        case PC_SYNC -> {
          if (syncs.size() + 1 == dropAtSync) {
            syncs.add(SyncRequest.parseFrom(p.getContent()));
            ctx.close(); // a connection lost with this request unanswered
            return;
          }
          reply.setData(syncPage(SyncRequest.parseFrom(p.getContent())));
        }
        case PC_SEND ->
            reply.setData(
                SendReply.newBuilder()
                    .setMessageId(9)
                    .setSeq(5)
                    .setCreatedAt(1_700_000_001L)
                    .build()
                    .toByteString());
        default -> {}
      }
      ctx.writeAndFlush(p.toBuilder().setContent(reply.build().toByteString()).build());
    }
  }
}
