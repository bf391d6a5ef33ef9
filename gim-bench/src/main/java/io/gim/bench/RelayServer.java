package io.gim.bench;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.gim.protocol.Message;
import io.gim.protocol.MessageCommand;
import io.gim.protocol.Packet;
import io.gim.protocol.PacketCommand;
import io.gim.protocol.Reply;
import io.gim.protocol.RoomMessagePush;
import io.gim.protocol.SendReply;
import io.gim.protocol.SendRequest;
import io.gim.protocol.SignInRequest;
import io.gim.protocol.SubscribeRoomRequest;
import io.gim.protocol.User;
import io.gim.protocol.UserMessagePush;
import io.gim.transport.netty.internal.ChannelOutbound;
import io.gim.transport.netty.internal.Outboxes;
import io.gim.transport.netty.internal.VarintFrameDecoder;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The floor: a bare Netty relay speaking the subset of GIM's protocol the load uses (sign-in,
 * subscribe, 1:1 and room sends) with no engine, no store and no checks. Same thread layout as
 * GIM's transport (one boss, two IO threads per core); room fan-out encodes once and writes a
 * retained duplicate per subscriber. Closing releases its threads.
 */
final class RelayServer implements AutoCloseable {
  private static final AttributeKey<Long> USER = AttributeKey.valueOf("bench.user");
  private static final AttributeKey<ChannelGroup> ROOM = AttributeKey.valueOf("bench.room");
  private static final AttributeKey<ChannelOutbound> OUTBOUND =
      AttributeKey.valueOf("bench.outbound");
  private static final ByteString OK = Reply.newBuilder().build().toByteString();

  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final Channel server;
  private final Control control;
  private final Map<Long, Channel> users = new ConcurrentHashMap<>();
  private final Map<Long, ChannelGroup> rooms = new ConcurrentHashMap<>();
  private final AtomicLong messageIds = new AtomicLong();

  /** The transport's own write coalescing, so the floor is Netty plus GIM's outbox, no engine. */
  private final Outboxes outboxes = new Outboxes(Long.MAX_VALUE);

  RelayServer(String host, int port, int controlPort) {
    boolean epoll = Epoll.isAvailable();
    var io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    boss = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("relay-boss"), io);
    // One event loop per core, as GIM's transport has (Netty's default is two): with two on the
    // server's one core, every delivery between them cost a wake-up and a context switch, and the
    // floor was slower than GIM.
    int threads = Runtime.getRuntime().availableProcessors();
    workers = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("relay-io"), io);
    ChannelHandler relay = new Relay();
    server =
        new ServerBootstrap()
            .group(boss, workers)
            .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 1024)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast(VarintFrameDecoder.retainedSlices(Wire.MAX_FRAME_BYTES), relay);
                  }
                })
            .bind(host, port)
            .syncUninterruptibly()
            .channel();
    String baseline = Json.write(Control.memory()).replace("\n", " ");
    control =
        new Control(
            controlPort,
            w ->
                switch (w[0]) {
                  case "baseline" -> baseline;
                  case "connections" -> Integer.toString(users.size());
                  default -> throw new IllegalArgumentException("the relay floor has no " + w[0]);
                });
  }

  int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  int controlPort() {
    return control.port();
  }

  @ChannelHandler.Sharable
  private final class Relay extends SimpleChannelInboundHandler<ByteBuf> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) throws IOException {
      Packet p = Packet.parseFrom(new ByteBufInputStream(frame));
      Channel ch = ctx.channel();
      switch (p.getCommand()) {
        case PC_SIGN_IN -> {
          long user = SignInRequest.parseFrom(p.getContent()).getUserId();
          ch.attr(USER).set(user);
          users.put(user, ch);
          ch.closeFuture().addListener(f -> users.remove(user, ch));
          reply(ch, p, OK);
        }
        case PC_SUBSCRIBE_ROOM -> {
          long room = SubscribeRoomRequest.parseFrom(p.getContent()).getRoomId();
          ChannelGroup g =
              rooms.computeIfAbsent(
                  room, r -> new DefaultChannelGroup(GlobalEventExecutor.INSTANCE));
          g.add(ch);
          ch.attr(ROOM).set(g);
          reply(ch, p, OK);
        }
        case PC_SEND -> send(ch, p);
        case PC_HEARTBEAT -> out(ch, p.toByteArray());
        default -> reply(ch, p, Reply.newBuilder().setCode(10001).build().toByteString());
      }
    }

    private void send(Channel ch, Packet p) throws InvalidProtocolBufferException {
      SendRequest r = SendRequest.parseFrom(p.getContent());
      long id = messageIds.incrementAndGet();
      User from =
          User.newBuilder().setUserId(ch.attr(USER).get()).setDeviceId(ch.attr(USER).get()).build();
      long now = System.currentTimeMillis() / 1000;
      Message.Builder m = Message.newBuilder().setMessageId(id).setCreatedAt(now);
      if (r.getRoomId() != 0) {
        m.setCommand(MessageCommand.MC_ROOM_MESSAGE)
            .setRoomId(r.getRoomId())
            .setContent(
                RoomMessagePush.newBuilder()
                    .setFromUser(from)
                    .setRoomId(r.getRoomId())
                    .setContent(r.getContent())
                    .build()
                    .toByteString());
        ChannelGroup g = rooms.get(r.getRoomId());
        if (g != null) {
          byte[] push = message(m.build()).toByteArray(); // framed once per loop by the outbox
          for (Channel c : g) {
            if (c != ch) {
              out(c, push);
            }
          }
        }
      } else {
        m.setCommand(MessageCommand.MC_USER_MESSAGE)
            .setContent(
                UserMessagePush.newBuilder()
                    .setFromUser(from)
                    .setToUserId(r.getToUserId())
                    .setContent(r.getContent())
                    .build()
                    .toByteString());
        Channel to = users.get(r.getToUserId());
        if (to != null) {
          out(to, message(m.build()).toByteArray());
        }
      }
      SendReply sr = SendReply.newBuilder().setMessageId(id).setCreatedAt(now).build();
      reply(ch, p, Reply.newBuilder().setData(sr.toByteString()).build().toByteString());
    }

    private Packet message(Message m) {
      return Packet.newBuilder()
          .setCommand(PacketCommand.PC_MESSAGE)
          .setContent(m.toByteString())
          .build();
    }

    private void reply(Channel ch, Packet request, ByteString reply) {
      Packet p =
          Packet.newBuilder()
              .setRequestId(request.getRequestId())
              .setCommand(request.getCommand())
              .setContent(reply)
              .build();
      out(ch, p.toByteArray());
    }

    private void out(Channel c, byte[] packet) {
      c.attr(OUTBOUND).get().send(packet);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      Channel ch = ctx.channel();
      ch.attr(OUTBOUND).set(outboxes.of(ch.eventLoop()).register(ch, true));
      ctx.fireChannelActive();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      ctx.channel().attr(OUTBOUND).get().writabilityChanged();
      ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  @Override
  public void close() {
    control.close();
    server.close().syncUninterruptibly();
    workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
