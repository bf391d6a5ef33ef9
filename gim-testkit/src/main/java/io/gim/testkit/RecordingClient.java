package io.gim.testkit;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import io.gim.protocol.Framing;
import io.gim.protocol.Message;
import io.gim.protocol.Packet;
import io.gim.protocol.PacketCommand;
import io.gim.protocol.Reply;
import io.gim.protocol.SignInRequest;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A protocol-level test client that records every packet the server sends, over TCP (plain socket)
 * or WebSocket (the JDK's client), with no Netty inside. For end-to-end tests of any transport: it
 * can also send raw bytes, text frames and oversized frames.
 *
 * <p>Thread-safe. The {@code await*} methods block for at most {@link #TIMEOUT} and fail with an
 * {@link AssertionError} naming what was received.
 */
public abstract class RecordingClient implements AutoCloseable {
  /** How long an await waits before failing. */
  public static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final List<Packet> received = new ArrayList<>();
  private final AtomicLong requestIds = new AtomicLong();
  private final CompletableFuture<Void> closed = new CompletableFuture<>();

  /** Connects over TCP. */
  public static RecordingClient tcp(String host, int port) throws IOException {
    return new Tcp(host, port);
  }

  /** Connects over WebSocket, e.g. {@code ws://127.0.0.1:8002/ws}. */
  public static RecordingClient websocket(URI uri) {
    return new Ws(uri);
  }

  /** Sends one packet and returns its request_id (never empty: pushes have an empty one). */
  public String send(PacketCommand command, MessageLite content) {
    String id = "r" + requestIds.incrementAndGet();
    sendPacket(
        Packet.newBuilder()
            .setRequestId(id)
            .setCommand(command)
            .setContent(content.toByteString())
            .build());
    return id;
  }

  /** Sends one packet as it is. */
  public void sendPacket(Packet packet) {
    sendFrame(packet.toByteArray());
  }

  /** Sends one frame (TCP: length-prefixed; WebSocket: one binary message) with any bytes. */
  public abstract void sendFrame(byte[] bytes);

  /** Writes bytes with no framing at all (TCP), or one binary message (WebSocket). */
  public abstract void sendRaw(byte[] bytes);

  /** Sends a request and waits for its reply. */
  public Reply call(PacketCommand command, MessageLite content) {
    return awaitReply(send(command, content));
  }

  /** Signs in and waits for the reply. */
  public Reply signIn(long userId, long deviceId, String token) {
    return call(
        PacketCommand.PC_SIGN_IN,
        SignInRequest.newBuilder().setUserId(userId).setDeviceId(deviceId).setToken(token).build());
  }

  /** Signs in and asserts it succeeded. */
  public RecordingClient assertSignedIn(long userId, long deviceId, String token) {
    Reply reply = signIn(userId, deviceId, token);
    if (reply.getCode() != 0) {
      throw new AssertionError("sign-in refused: " + reply.getCode() + " " + reply.getMessage());
    }
    return this;
  }

  /** Waits for the reply to {@code requestId}. */
  public Reply awaitReply(String requestId) {
    Packet p = awaitPacket(x -> x.getRequestId().equals(requestId), "reply to " + requestId);
    return parse(p.getContent(), Reply.parser());
  }

  /** Waits for a pushed message with this seq. */
  public Message awaitMessage(long seq) {
    return awaitMessage(m -> m.getSeq() == seq, "message with seq " + seq);
  }

  /** Waits for a pushed message matching {@code test}. */
  public Message awaitMessage(Predicate<Message> test, String what) {
    Packet p =
        awaitPacket(
            x ->
                x.getCommand() == PacketCommand.PC_MESSAGE
                    && test.test(parse(x.getContent(), Message.parser())),
            what);
    return parse(p.getContent(), Message.parser());
  }

  /** Every pushed message so far, in arrival order. */
  public List<Message> messages() {
    List<Message> out = new ArrayList<>();
    for (Packet p : packets()) {
      if (p.getCommand() == PacketCommand.PC_MESSAGE) {
        out.add(parse(p.getContent(), Message.parser()));
      }
    }
    return out;
  }

  /** How many messages have been pushed so far; cheaper than {@link #messages()}. */
  public int messageCount() {
    synchronized (received) {
      return (int)
          received.stream().filter(p -> p.getCommand() == PacketCommand.PC_MESSAGE).count();
    }
  }

  /** Every packet received so far. */
  public List<Packet> packets() {
    synchronized (received) {
      return List.copyOf(received);
    }
  }

  /** Waits for a packet matching {@code test}. */
  public Packet awaitPacket(Predicate<Packet> test, String what) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    synchronized (received) {
      while (true) {
        for (Packet p : received) {
          if (test.test(p)) {
            return p;
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(
              "timed out waiting for "
                  + what
                  + "; received "
                  + received
                  + (isClosed() ? " (closed)" : ""));
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(
              received, Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted", e);
        }
      }
    }
  }

  /** Waits until the server has closed the connection. */
  public void awaitClosed() {
    try {
      closed.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("connection still open after " + TIMEOUT, e);
    }
  }

  /**
   * Stops reading from the connection, so that the server's writes back up in the socket buffers: a
   * slow reader. Packets already received stay recorded.
   */
  public abstract void pauseReading();

  /** Reads from the connection again after {@link #pauseReading()}. */
  public abstract void resumeReading();

  /** Whether the connection has closed. */
  public boolean isClosed() {
    return closed.isDone();
  }

  protected void record(byte[] packet) {
    Packet p = parse(ByteString.copyFrom(packet), Packet.parser());
    synchronized (received) {
      received.add(p);
      received.notifyAll();
    }
  }

  protected void markClosed() {
    closed.complete(null);
    synchronized (received) {
      received.notifyAll();
    }
  }

  private static <T> T parse(ByteString bytes, com.google.protobuf.Parser<T> parser) {
    try {
      return parser.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("server sent undecodable bytes", e);
    }
  }

  /** TCP: uvarint length prefix, a reader thread per client. */
  private static final class Tcp extends RecordingClient {
    private final Socket socket;
    private final OutputStream out;
    private final Thread reader;
    private boolean paused; // guarded by pause
    private final Object pause = new Object();

    Tcp(String host, int port) throws IOException {
      socket = new Socket();
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(host, port), (int) TIMEOUT.toMillis());
      out = socket.getOutputStream();
      reader = new Thread(this::readLoop, "recording-client-" + socket.getLocalPort());
      reader.setDaemon(true);
      reader.start();
    }

    private void readLoop() {
      try (InputStream in = new BufferedInputStream(socket.getInputStream())) {
        Framing.LengthParser parser = new Framing.LengthParser(Integer.MAX_VALUE);
        while (awaitNotPaused()) {
          parser.reset();
          Framing.Status status = Framing.Status.NEED_MORE;
          while (status == Framing.Status.NEED_MORE) {
            int b = in.read();
            if (b < 0) {
              return;
            }
            status = parser.next((byte) b);
          }
          if (status != Framing.Status.COMPLETE) {
            throw new IOException("bad length prefix from the server: " + status);
          }
          byte[] packet = in.readNBytes(parser.length());
          if (packet.length < parser.length()) {
            return; // closed mid-frame
          }
          record(packet);
        }
      } catch (IOException e) {
        // closed by either side
      } finally {
        markClosed();
      }
    }

    @Override
    public void sendFrame(byte[] bytes) {
      sendRaw(Framing.frame(bytes));
    }

    @Override
    public void pauseReading() {
      synchronized (pause) {
        paused = true;
      }
    }

    @Override
    public void resumeReading() {
      synchronized (pause) {
        paused = false;
        pause.notifyAll();
      }
    }

    /** Waits while paused; false once the test has closed the client. */
    private boolean awaitNotPaused() {
      synchronized (pause) {
        while (paused && !socket.isClosed()) {
          try {
            pause.wait();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
          }
        }
        return !socket.isClosed();
      }
    }

    @Override
    public synchronized void sendRaw(byte[] bytes) {
      try {
        out.write(bytes);
        out.flush();
      } catch (IOException e) {
        throw new AssertionError("write failed", e);
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
      synchronized (pause) {
        pause.notifyAll();
      }
    }
  }

  /** WebSocket through {@link java.net.http.WebSocket}: one binary message per packet. */
  private static final class Ws extends RecordingClient implements WebSocket.Listener {
    private final WebSocket ws;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private volatile int closeStatus = -1;
    private volatile boolean paused;

    Ws(URI uri) {
      try {
        ws =
            HttpClient.newHttpClient()
                .newWebSocketBuilder()
                .connectTimeout(TIMEOUT)
                .buildAsync(uri, this)
                .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        throw new AssertionError("WebSocket connect to " + uri + " failed", e);
      }
    }

    /** The close status the server sent, or -1. */
    public int closeStatus() {
      return closeStatus;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
      byte[] chunk = new byte[data.remaining()];
      data.get(chunk);
      partial.writeBytes(chunk);
      if (last) {
        record(partial.toByteArray());
        partial.reset();
      }
      if (!paused) {
        webSocket.request(1);
      }
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closeStatus = statusCode;
      markClosed();
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      markClosed();
    }

    @Override
    public void sendFrame(byte[] bytes) {
      sendRaw(bytes);
    }

    @Override
    public synchronized void sendRaw(byte[] bytes) {
      ws.sendBinary(ByteBuffer.wrap(bytes), true).join();
    }

    @Override
    public void pauseReading() {
      paused = true;
    }

    @Override
    public void resumeReading() {
      paused = false;
      ws.request(1);
    }

    /** Sends a text frame, which the protocol forbids. */
    public synchronized void sendText(String text) {
      ws.sendText(text, true).join();
    }

    @Override
    public void close() {
      ws.abort();
      markClosed();
    }
  }

  /** Sends a WebSocket text frame; fails for TCP clients. */
  public void sendText(String text) {
    if (this instanceof Ws ws) {
      ws.sendText(text);
    } else {
      throw new UnsupportedOperationException("text frames exist only on WebSocket");
    }
  }

  /** The WebSocket close status the server sent (-1 if none or TCP). */
  public int closeStatus() {
    return this instanceof Ws ws ? ws.closeStatus() : -1;
  }
}
