package io.gim.examples.business;

import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import io.gim.grpc.ExtAuth;
import io.gim.grpc.GimStatus;
import io.gim.grpc.business.FriendAddRequest;
import io.gim.grpc.business.FriendAgreeRequest;
import io.gim.grpc.business.FriendExtServiceGrpc;
import io.gim.grpc.business.FriendSetRequest;
import io.gim.grpc.business.GetGroupMembersRequest;
import io.gim.grpc.business.GetUserRequest;
import io.gim.grpc.business.GroupAddMembersRequest;
import io.gim.grpc.business.GroupCreateRequest;
import io.gim.grpc.business.GroupExtServiceGrpc;
import io.gim.grpc.business.GroupRemoveMemberRequest;
import io.gim.grpc.business.GroupUpdateRequest;
import io.gim.grpc.business.SearchUserRequest;
import io.gim.grpc.business.SignInReply;
import io.gim.grpc.business.SignInRequest;
import io.gim.grpc.business.UpdateUserRequest;
import io.gim.grpc.business.User;
import io.gim.grpc.business.UserExtServiceGrpc;
import io.gim.grpc.logic.Device;
import io.gim.grpc.logic.DeviceType;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The client sub-commands: one gRPC call each to the Ext port, printing one line per result. The
 * credentials come from {@code --user/--device/--token} or {@code GIM_USER/GIM_DEVICE/GIM_TOKEN};
 * {@code signin} prints them as a shell line to {@code eval}. Nothing is written to files.
 */
final class ClientCommands {
  private static final long DEADLINE_SECONDS = 10;

  private ClientCommands() {}

  static int run(
      String command,
      List<String> args,
      Map<String, String> env,
      PrintStream out,
      PrintStream err) {
    Set<String> valued = new HashSet<>(Set.of("server", "user", "device", "token"));
    valued.addAll(optionsOf(command));
    Options o = Options.parse(command, args, valued);
    String server = o.string("server", "127.0.0.1:8010");
    int colon = server.lastIndexOf(':');
    if (colon <= 0) {
      throw new UsageException("--server: " + server + " (expected: host:port)");
    }
    String host = server.substring(0, colon);
    int port = Math.toIntExact(Options.id("--server port", server.substring(colon + 1)));
    Metadata credentials = command.equals("signin") ? new Metadata() : credentials(o, env);
    ManagedChannel channel = NettyChannelBuilder.forAddress(host, port).usePlaintext().build();
    try {
      return call(command, o, new Stubs(channel, credentials), out);
    } catch (StatusRuntimeException e) {
      err.println(command + ": " + GimStatus.codeOf(e) + " " + describe(e));
      return 1;
    } finally {
      channel.shutdownNow();
      try {
        channel.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static Set<String> optionsOf(String command) {
    return switch (command) {
      case "signin" -> Set.of("phone", "code", "device-type", "brand", "model");
      case "user" -> Set.of("id");
      case "update-user" -> Set.of("nickname", "sex", "avatar-url", "extra");
      case "search" -> Set.of("key");
      case "add-friend" -> Set.of("friend", "remarks", "description");
      case "agree" -> Set.of("from", "remarks");
      case "set-friend" -> Set.of("friend", "remarks", "extra");
      case "friends" -> Set.of();
      case "send" -> Set.of("to", "text");
      case "group-create" -> Set.of("name", "members", "introduction", "avatar-url", "extra");
      case "group-update" -> Set.of("group", "name", "introduction", "avatar-url", "extra");
      case "group-add" -> Set.of("group", "members");
      case "group-remove" -> Set.of("group", "member");
      case "group-members" -> Set.of("group");
      default -> throw new UsageException("unknown command " + command);
    };
  }

  /** The stubs of the Ext services, with the caller's metadata and a deadline on every call. */
  private record Stubs(ManagedChannel channel, Metadata credentials) {
    <S extends AbstractStub<S>> S ready(S stub) {
      return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(credentials))
          .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
    }

    UserExtServiceGrpc.UserExtServiceBlockingStub users() {
      return ready(UserExtServiceGrpc.newBlockingStub(channel));
    }

    FriendExtServiceGrpc.FriendExtServiceBlockingStub friends() {
      return ready(FriendExtServiceGrpc.newBlockingStub(channel));
    }

    GroupExtServiceGrpc.GroupExtServiceBlockingStub groups() {
      return ready(GroupExtServiceGrpc.newBlockingStub(channel));
    }
  }

  private static int call(String command, Options o, Stubs s, PrintStream out) {
    switch (command) {
      case "signin" -> {
        int type = o.integer("device-type", DeviceType.DT_DEFAULT_VALUE);
        SignInReply r =
            s.users()
                .signIn(
                    SignInRequest.newBuilder()
                        .setPhoneNumber(o.required("phone"))
                        .setCode(o.string("code", "0000"))
                        .setDevice(
                            Device.newBuilder()
                                .setTypeValue(type)
                                .setBrand(o.string("brand", ""))
                                .setModel(o.string("model", "gim-business-cli")))
                        .build());
        out.println(
            "export GIM_USER="
                + r.getUserId()
                + " GIM_DEVICE="
                + r.getDeviceId()
                + " GIM_TOKEN="
                + r.getToken()
                + (r.getIsNew() ? "  # a new user" : ""));
      }
      case "user" -> {
        long id = o.has("id") ? o.id("id") : 0;
        out.println(
            user(s.users().getUser(GetUserRequest.newBuilder().setUserId(id).build()).getUser()));
      }
      case "update-user" -> {
        s.users()
            .updateUser(
                UpdateUserRequest.newBuilder()
                    .setNickname(o.required("nickname"))
                    .setSex(o.integer("sex", 0))
                    .setAvatarUrl(o.string("avatar-url", ""))
                    .setExtra(o.string("extra", ""))
                    .build());
        out.println("updated");
      }
      case "search" ->
          s.users()
              .searchUser(SearchUserRequest.newBuilder().setKey(o.required("key")).build())
              .getUsersList()
              .forEach(u -> out.println(user(u)));
      case "add-friend" -> {
        long friend = o.id("friend");
        s.friends()
            .add(
                FriendAddRequest.newBuilder()
                    .setFriendId(friend)
                    .setRemarks(o.string("remarks", ""))
                    .setDescription(o.string("description", ""))
                    .build());
        out.println("friend request sent to " + friend);
      }
      case "agree" -> {
        long from = o.id("from");
        s.friends()
            .agree(
                FriendAgreeRequest.newBuilder()
                    .setUserId(from)
                    .setRemarks(o.string("remarks", ""))
                    .build());
        out.println("you and " + from + " are friends");
      }
      case "set-friend" -> {
        long friend = o.id("friend");
        s.friends()
            .set(
                FriendSetRequest.newBuilder()
                    .setFriendId(friend)
                    .setRemarks(o.string("remarks", ""))
                    .setExtra(o.string("extra", ""))
                    .build());
        out.println("updated friend " + friend);
      }
      case "friends" ->
          s.friends()
              .getFriends(Empty.getDefaultInstance())
              .getFriendsList()
              .forEach(
                  f ->
                      out.println(
                          "friend "
                              + f.getUserId()
                              + ": nickname="
                              + f.getNickname()
                              + " remarks="
                              + f.getRemarks()));
      case "send" -> {
        long id =
            s.friends()
                .sendMessage(
                    io.gim.grpc.business.SendFriendMessageRequest.newBuilder()
                        .setUserId(o.id("to"))
                        .setContent(ByteString.copyFrom(o.required("text"), StandardCharsets.UTF_8))
                        .build())
                .getMessageId();
        out.println("sent: message " + id);
      }
      default -> groupCommand(command, o, s, out);
    }
    out.flush();
    return 0;
  }

  private static void groupCommand(String command, Options o, Stubs s, PrintStream out) {
    switch (command) {
      case "group-create" -> {
        long id =
            s.groups()
                .create(
                    GroupCreateRequest.newBuilder()
                        .setName(o.required("name"))
                        .setIntroduction(o.string("introduction", ""))
                        .setAvatarUrl(o.string("avatar-url", ""))
                        .setExtra(o.string("extra", ""))
                        .addAllMemberIds(o.ids("members"))
                        .build())
                .getGroupId();
        out.println("group " + id);
      }
      case "group-update" -> {
        long group = o.id("group");
        s.groups()
            .update(
                GroupUpdateRequest.newBuilder()
                    .setGroupId(group)
                    .setName(o.required("name"))
                    .setIntroduction(o.string("introduction", ""))
                    .setAvatarUrl(o.string("avatar-url", ""))
                    .setExtra(o.string("extra", ""))
                    .build());
        out.println("updated group " + group);
      }
      case "group-add" -> {
        long group = o.id("group");
        List<Long> members = o.ids("members");
        if (members.isEmpty()) {
          throw new UsageException("--members: required");
        }
        s.groups()
            .addMembers(
                GroupAddMembersRequest.newBuilder()
                    .setGroupId(group)
                    .addAllUserIds(members)
                    .build());
        out.println("added " + members + " to group " + group);
      }
      case "group-remove" -> {
        long group = o.id("group");
        long member = o.id("member");
        s.groups()
            .removeMember(
                GroupRemoveMemberRequest.newBuilder().setGroupId(group).setUserId(member).build());
        out.println("removed " + member + " from group " + group);
      }
      case "group-members" ->
          s.groups()
              .getMembers(GetGroupMembersRequest.newBuilder().setGroupId(o.id("group")).build())
              .getMembersList()
              .forEach(
                  m -> out.println("member " + m.getUserId() + ": nickname=" + m.getNickname()));
      default -> throw new UsageException("unknown command " + command);
    }
  }

  private static String user(User u) {
    return "user "
        + u.getUserId()
        + ": nickname="
        + u.getNickname()
        + " sex="
        + u.getSex()
        + " avatar_url="
        + u.getAvatarUrl()
        + " extra="
        + u.getExtra();
  }

  private static Metadata credentials(Options o, Map<String, String> env) {
    Metadata m = new Metadata();
    m.put(ExtAuth.USER_ID, Long.toString(Options.id("--user", value(o, env, "user", "GIM_USER"))));
    m.put(
        ExtAuth.DEVICE_ID,
        Long.toString(Options.id("--device", value(o, env, "device", "GIM_DEVICE"))));
    m.put(ExtAuth.TOKEN, value(o, env, "token", "GIM_TOKEN"));
    return m;
  }

  private static String value(Options o, Map<String, String> env, String option, String variable) {
    String value = o.has(option) ? o.required(option) : env.get(variable);
    if (value == null || value.isBlank()) {
      throw new UsageException(
          "--" + option + ": required (or the environment variable " + variable + "; see signin)");
    }
    return value.strip();
  }

  /** The status text without the code it starts with (the code is printed already). */
  private static String describe(StatusRuntimeException e) {
    String text = e.getStatus().getDescription();
    if (text == null) {
      return e.getStatus().getCode().toString();
    }
    int space = text.indexOf(' ');
    return space > 0 && text.substring(0, space).chars().allMatch(Character::isDigit)
        ? text.substring(space + 1)
        : text;
  }
}
