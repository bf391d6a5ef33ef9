package io.gim.examples.quickstart;

import io.gim.client.GimClient;
import io.gim.client.GimClientBuilder;
import io.gim.client.GimClientException;
import io.gim.client.MessageListener;
import io.gim.client.ReceivedMessage;
import io.gim.client.SendResult;
import io.gim.client.User;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@code chat} sub-command: a line-oriented client on {@link GimClient}. Prints every received
 * message as one line, e.g. {@code [seq 3] 2/21 -> 1: hello}, and sends every line read from stdin
 * to the current target; {@code /to}, {@code /group}, {@code /room} change it.
 *
 * <p>Reads stdin on the calling thread and prints from the client's I/O thread too; every line is
 * flushed at once, so it works on a pipe. Exits on {@code /quit} or end of input.
 */
final class ChatClient implements MessageListener {
  private static final long WAIT_SECONDS = 20;

  private final PrintStream out;
  private Target target;

  private ChatClient(PrintStream out, Target target) {
    this.out = out;
    this.target = target;
  }

  /** Connects, then sends what stdin says until it ends; returns the exit status. */
  static int run(List<String> args, InputStream in, PrintStream out, PrintStream err) {
    Options options =
        Options.parse(
            args,
            Set.of("user", "device", "token", "to", "group", "room", "server", "secret"),
            Set.of("ws"));
    if (!options.positional().isEmpty()) {
      throw new UsageException("chat: unexpected argument " + options.positional().get(0));
    }
    long userId = Options.id("--user", options.required("user"));
    // A device is (user, device id): a second sign-in of the same pair takes over its session.
    long deviceId = Options.id("--device", options.required("device"));
    Target target = Target.fromOptions(options);
    boolean webSocket = options.has("ws");
    String server = options.string("server", webSocket ? "127.0.0.1:8002" : "127.0.0.1:8001");
    String token =
        options.has("token")
            ? options.required("token")
            : mintToken(options, userId, deviceId, err);

    ChatClient chat = new ChatClient(out, target);
    GimClientBuilder builder =
        GimClient.builder().credentials(userId, deviceId, token).listener(chat);
    // Several comma-separated servers (nodes of a cluster): the client fails over between them.
    List<String> servers = List.of(server.split(",", -1));
    String address =
        servers.stream()
            .map(s -> webSocket ? "ws://" + s + "/ws" : "tcp://" + s)
            .collect(java.util.stream.Collectors.joining(","));
    if (webSocket) {
      builder.websocket(servers.stream().map(s -> URI.create("ws://" + s + "/ws")).toList());
    } else {
      builder.tcp(servers.stream().map(s -> new InetSocketAddress(host(s), port(s))).toList());
    }
    try (GimClient client = buildClient(builder)) {
      Throwable failure = await(client.connect());
      if (failure instanceof GimClientException refused && refused.fromServer()) {
        err.println(
            "chat: cannot sign in as "
                + userId
                + "/"
                + deviceId
                + " at "
                + address
                + ": "
                + describe(failure));
        return 1;
      } else if (failure != null) {
        err.println(
            "chat: cannot reach " + address + " (is the server running?): " + describe(failure));
        return 1;
      }
      if (target != null && target.kind() == Target.Kind.ROOM) {
        chat.subscribe(client, target.id());
      }
      chat.say(
          "GIM chat connected: user="
              + userId
              + " device="
              + deviceId
              + " server="
              + address
              + " target="
              + (target == null ? "none" : target));
      chat.say("Type a line to send it; /to <user>, /group <id>, /room <id>, /quit.");
      chat.readLoop(client, new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
      return 0;
    } catch (IOException e) {
      err.println("chat: cannot read stdin: " + e.getMessage());
      return 1;
    }
  }

  private static String mintToken(Options options, long userId, long deviceId, PrintStream err) {
    String secret = Secrets.resolve(options, System.getenv(), err);
    return new HmacTokens(secret, Clock.systemUTC()).mint(userId, deviceId, Duration.ofDays(1));
  }

  private static GimClient buildClient(GimClientBuilder builder) {
    try {
      return builder.build();
    } catch (IllegalArgumentException e) {
      throw new UsageException("chat: " + e.getMessage());
    }
  }

  private void readLoop(GimClient client, BufferedReader reader) throws IOException {
    String line;
    while ((line = reader.readLine()) != null) {
      String text = line.strip();
      if (text.isEmpty()) {
        continue;
      }
      if (!text.startsWith("/")) {
        send(client, text);
      } else if (!command(client, text.split("\\s+"))) {
        return;
      }
    }
  }

  /** Runs a slash command; false for {@code /quit}. */
  private boolean command(GimClient client, String[] words) {
    if (words[0].equals("/quit")) {
      return false;
    }
    Target.Kind kind =
        switch (words[0]) {
          case "/to" -> Target.Kind.USER;
          case "/group" -> Target.Kind.GROUP;
          case "/room" -> Target.Kind.ROOM;
          default -> null;
        };
    if (kind == null || words.length != 2) {
      say("! commands: /to <user>, /group <id>, /room <id>, /quit");
      return true;
    }
    try {
      Target next = new Target(kind, Options.id(words[0], words[1]));
      if (kind == Target.Kind.ROOM && !subscribe(client, next.id())) {
        return true;
      }
      target = next;
      say("now sending to " + target);
    } catch (UsageException e) {
      say("! " + e.getMessage());
    }
    return true;
  }

  private boolean subscribe(GimClient client, long roomId) {
    Throwable failure = await(client.subscribeRoom(roomId));
    if (failure != null) {
      say("! cannot subscribe to room " + roomId + ": " + describe(failure));
    }
    return failure == null;
  }

  private void send(GimClient client, String text) {
    if (target == null) {
      say("! no target yet: /to <user>, /group <id> or /room <id>");
      return;
    }
    byte[] content = text.getBytes(StandardCharsets.UTF_8);
    CompletableFuture<SendResult> sent =
        switch (target.kind()) {
          case USER -> client.sendToUser(target.id(), content, null);
          case GROUP -> client.sendToGroup(target.id(), content, null);
          case ROOM -> client.sendToRoom(target.id(), content, null);
        };
    Throwable failure = await(sent);
    if (failure != null) {
      say("! not sent to " + target + ": " + describe(failure));
    }
  }

  /** Waits a bounded time; null on success, else what went wrong. */
  private static Throwable await(CompletableFuture<?> future) {
    try {
      future.get(WAIT_SECONDS, TimeUnit.SECONDS);
      return null;
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (TimeoutException e) {
      return new TimeoutException("no answer within " + WAIT_SECONDS + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return e;
    }
  }

  /** One line saying why, with the underlying cause if there is one (e.g. connection refused). */
  private static String describe(Throwable failure) {
    String text =
        failure instanceof GimClientException ? failure.getMessage() : String.valueOf(failure);
    Throwable cause = failure.getCause();
    return cause == null ? text : text + " (" + cause.getMessage() + ")";
  }

  @Override
  public void onMessage(ReceivedMessage m) {
    String text = new String(m.content(), StandardCharsets.UTF_8);
    String sender = m.from().map(ChatClient::who).orElse("?");
    switch (m.kind()) {
      case USER -> say("[seq " + m.seq() + "] " + sender + " -> " + m.toUserId() + ": " + text);
      case GROUP ->
          say("[seq " + m.seq() + "] " + sender + " -> group " + m.groupId() + ": " + text);
      case ROOM -> say("[room " + m.roomId() + "] " + sender + ": " + text);
      case OTHER ->
          say("[seq " + m.seq() + "] command " + m.command() + ", " + m.contentLength() + " bytes");
    }
  }

  @Override
  public void onDisconnected(Throwable cause) {
    say("! disconnected: " + cause.getMessage());
  }

  @Override
  public void onKickedOut(int code, String message) {
    say("! kicked out: [" + code + "] " + message);
  }

  private static String who(User user) {
    return user.userId() + "/" + user.deviceId();
  }

  /** One whole line, flushed at once: stdout may be a pipe that a test is waiting on. */
  private void say(String line) {
    synchronized (out) {
      out.println(line);
      out.flush();
    }
  }

  private static String host(String server) {
    int colon = server.lastIndexOf(':');
    if (colon <= 0) {
      throw new UsageException("--server: " + server + " (expected: host:port)");
    }
    return server.substring(0, colon);
  }

  private static int port(String server) {
    String text = server.substring(server.lastIndexOf(':') + 1);
    try {
      int port = Integer.parseInt(text);
      if (port > 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException("--server: " + server + " (expected: host:port, port 1-65535)");
  }
}
