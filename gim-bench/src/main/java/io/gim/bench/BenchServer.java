package io.gim.bench;

import com.google.protobuf.ByteString;
import io.gim.core.GimServer;
import io.gim.core.ListenSpec;
import io.gim.core.memory.InMemoryStores;
import io.gim.protocol.MessageCommand;
import io.gim.protocol.User;
import io.gim.protocol.UserMessagePush;
import io.gim.spi.AuthResult;
import io.gim.spi.store.Group;
import io.gim.spi.store.GroupMember;
import io.gim.store.jdbc.JdbcStores;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A GIM server that lets everyone in, on in-memory stores or, with {@code --jdbc URL}, on a
 * database's ({@code --jdbc-user}, {@code --jdbc-password}, {@code --jdbc-pool}), plus a control
 * port that creates groups and offline backlogs for the scenarios. {@code --store-in-flight N} sets
 * the engine's {@code maxStoreRequestsInFlight} (syncs and acks), {@code --store-sends-in-flight N}
 * its {@code maxStoreSendsInFlight}. {@code --inbox-retention S} keeps messages of the in-memory
 * store for S seconds, not for the whole run: the heap then holds what a server on an external
 * store would, and a collection copies recent messages rather than every message of the run. {@code
 * --jdbc-empty} empties GIM's message tables before serving, so that every run starts from the same
 * database: each run adds hundreds of thousands of rows, and once the tables outgrow the buffer
 * pool the same run's p99 grew several times over. Closing stops all three.
 */
final class BenchServer implements AutoCloseable {
  private static final AuthResult ALLOWED = AuthResult.allowed();

  private final GimServer server;
  private final JdbcStores stores;
  private final Control control;
  private volatile String baseline;
  private FloorServer floor; // guarded by this

  BenchServer(String host, int port, int controlPort) {
    this(host, port, controlPort, new Options(new String[0], 0));
  }

  BenchServer(String host, int port, int controlPort, Options o) {
    String url = o.str("jdbc", "");
    stores =
        url.isEmpty()
            ? null
            : JdbcStores.builder()
                .url(url)
                .user(o.str("jdbc-user", "root"))
                .password(o.str("jdbc-password", ""))
                .maxPoolSize(o.integer("jdbc-pool", 10))
                .build();
    if (stores != null && o.flag("jdbc-empty")) {
      empty(url, o.str("jdbc-user", "root"), o.str("jdbc-password", ""));
    }
    GimServer.Builder b =
        GimServer.builder()
            .auth((user, device, token) -> CompletableFuture.completedFuture(ALLOWED))
            .tcp(host, port);
    if (stores != null) {
      b.stores(stores);
    } else if (o.integer("inbox-retention", 0) > 0) {
      b.stores(
          InMemoryStores.withInboxRetention(Duration.ofSeconds(o.integer("inbox-retention", 0))));
    }
    if (o.integer("store-in-flight", 0) > 0) {
      b.maxStoreRequestsInFlight(o.integer("store-in-flight", 0));
    }
    if (o.integer("store-sends-in-flight", 0) > 0) {
      b.maxStoreSendsInFlight(o.integer("store-sends-in-flight", 0));
    }
    server = b.build();
    server.start().join();
    baseline = Json.write(Control.memory()).replace("\n", " ");
    control = new Control(controlPort, this::command);
  }

  /** The tables a benchmark fills; the schema, devices and groups stay. */
  private static final List<String> MESSAGE_TABLES =
      List.of(
          "gim_user_message", "gim_message", "gim_user_seq", "gim_send_dedupe", "gim_device_ack");

  private static void empty(String url, String user, String password) {
    try (Connection c = DriverManager.getConnection(url, user, password);
        Statement st = c.createStatement()) {
      for (String table : MESSAGE_TABLES) {
        st.execute("truncate table " + table);
      }
      System.err.println("emptied " + String.join(", ", MESSAGE_TABLES) + " (--jdbc-empty)");
    } catch (SQLException e) {
      throw new IllegalStateException("could not empty the message tables", e);
    }
  }

  int port() {
    return server.activePort(ListenSpec.Kind.TCP);
  }

  int controlPort() {
    return control.port();
  }

  private String command(String[] w) {
    switch (w[0]) {
      case "baseline": // memory right after start, before any connection
        return baseline;
      case "mark": // a new baseline, once warm-up connections have come and gone
        baseline = Json.write(Control.memory()).replace("\n", " ");
        return baseline;
      case "connections":
        return Integer.toString(server.connectionCount());
      case "group": // group <id> <first user> <members>
        List<GroupMember> members = new ArrayList<>();
        for (long u = Long.parseLong(w[2]), n = 0; n < Long.parseLong(w[3]); n++) {
          members.add(GroupMember.of(u + n));
        }
        long id =
            server
                .groups()
                .create(new Group(Long.parseLong(w[1]), "bench", "", "", ""), members)
                .toCompletableFuture()
                .join();
        return Long.toString(id);
      case "backlog": // backlog <user> <count> <payload bytes>
        // Stored as a client's user message is: a UserMessagePush around the payload bytes.
        long user = Long.parseLong(w[1]);
        byte[] content =
            UserMessagePush.newBuilder()
                .setFromUser(User.newBuilder().setUserId(user + 1_000_000).setDeviceId(1))
                .setToUserId(user)
                .setContent(ByteString.copyFrom(new byte[Integer.parseInt(w[3])]))
                .build()
                .toByteArray();
        for (int i = 0; i < Integer.parseInt(w[2]); i++) {
          server
              .messages()
              .pushToUsers(List.of(user), MessageCommand.MC_USER_MESSAGE_VALUE, content, true)
              .toCompletableFuture()
              .join();
        }
        return "ok";
      case "floor": // floor <page bytes,page bytes,...>: a plain socket server sending them
        int[] pages =
            java.util.Arrays.stream(w[1].split(",")).mapToInt(Integer::parseInt).toArray();
        synchronized (this) {
          if (floor != null) {
            floor.close();
          }
          floor = new FloorServer(pages);
          return Integer.toString(floor.port());
        }
      default:
        throw new IllegalArgumentException("unknown command " + w[0]);
    }
  }

  @Override
  public void close() {
    control.close();
    synchronized (this) {
      if (floor != null) {
        floor.close();
      }
    }
    server.close();
    if (stores != null) {
      stores.close();
    }
  }

  /** What the server stores in, for its start-up line. */
  String storeName() {
    return stores == null ? "memory" : stores.dialect();
  }
}
