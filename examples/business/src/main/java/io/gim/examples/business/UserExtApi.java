package io.gim.examples.business;

import com.google.protobuf.Empty;
import io.gim.core.Devices;
import io.gim.grpc.Caller;
import io.gim.grpc.business.GetUserReply;
import io.gim.grpc.business.GetUserRequest;
import io.gim.grpc.business.SearchUserReply;
import io.gim.grpc.business.SearchUserRequest;
import io.gim.grpc.business.SignInReply;
import io.gim.grpc.business.SignInRequest;
import io.gim.grpc.business.UpdateUserRequest;
import io.gim.grpc.business.UserExtServiceGrpc;
import io.gim.spi.GimErrorCode;
import io.gim.spi.GimException;
import io.gim.spi.store.Device;
import io.gim.spi.store.DeviceType;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code business.UserExtService}: sign-in with a verification code, and the caller's view of
 * users. Every method but SignIn runs behind {@link io.gim.grpc.ExtAuth}. Thread-safe; nothing
 * blocks.
 */
final class UserExtApi extends UserExtServiceGrpc.UserExtServiceImplBase {
  /** At most this many users answer one search. */
  static final int SEARCH_LIMIT = 20;

  private static final int DEVICE_TEXT_MAX = 255;

  private final UserRepository users;
  private final Tokens tokens;
  private final CodeVerifier codes;
  private final Devices devices;

  UserExtApi(UserRepository users, Tokens tokens, CodeVerifier codes, Devices devices) {
    this.users = users;
    this.tokens = tokens;
    this.codes = codes;
    this.devices = devices;
  }

  /**
   * Checks the code, creates the user on the first sign-in of the number, saves the device (the
   * request's device id is kept only if it is one of this user's devices) and issues its token.
   */
  @Override
  public void signIn(SignInRequest request, StreamObserver<SignInReply> observer) {
    Calls.answer(
        observer,
        () -> {
          String phone = request.getPhoneNumber().strip();
          if (phone.isEmpty()) {
            throw new GimException(GimErrorCode.BAD_REQUEST, "phone number missing");
          }
          Calls.text("phone number", phone, Schema.PHONE_MAX);
          Device device = device(request.getDevice());
          return codes
              .verify(phone, request.getCode())
              .thenCompose(
                  right -> {
                    if (!Boolean.TRUE.equals(right)) {
                      throw new GimException(
                          Calls.Codes.WRONG_CODE, "wrong verification code", null);
                    }
                    return users.signUp(phone);
                  })
              .thenCompose(
                  signUp -> {
                    long userId = signUp.user().id();
                    return saveDevice(device, userId, request.getDevice().getId())
                        .thenCompose(
                            deviceId ->
                                tokens
                                    .issue(userId, deviceId)
                                    .thenApply(
                                        token ->
                                            SignInReply.newBuilder()
                                                .setIsNew(signUp.created())
                                                .setUserId(userId)
                                                .setDeviceId(deviceId)
                                                .setToken(token)
                                                .build()));
                  });
        });
  }

  private CompletionStage<Long> saveDevice(Device device, long userId, long requestedId) {
    Device owned =
        new Device(
            0,
            userId,
            device.type(),
            device.brand(),
            device.model(),
            device.systemVersion(),
            device.sdkVersion(),
            device.pushId());
    if (requestedId <= 0) {
      return devices.save(owned);
    }
    // Another user's device id, or a made-up one, gets a new device instead.
    return devices
        .list(userId)
        .thenCompose(
            mine ->
                devices.save(
                    mine.stream().anyMatch(d -> d.id() == requestedId)
                        ? owned.withId(requestedId)
                        : owned));
  }

  private static Device device(io.gim.grpc.logic.Device d) {
    return new Device(
        0,
        0,
        DeviceType.ofNumber(d.getTypeValue()),
        Calls.text("brand", d.getBrand(), DEVICE_TEXT_MAX),
        Calls.text("model", d.getModel(), DEVICE_TEXT_MAX),
        Calls.text("system version", d.getSystemVersion(), DEVICE_TEXT_MAX),
        Calls.text("sdk version", d.getSdkVersion(), DEVICE_TEXT_MAX),
        Calls.text("push id", d.getBranchPushId(), DEVICE_TEXT_MAX));
  }

  /** The user {@code user_id}, or the caller for 0; 10301 for an unknown user. */
  @Override
  public void getUser(GetUserRequest request, StreamObserver<GetUserReply> observer) {
    Caller caller = Caller.current();
    long userId = request.getUserId() == 0 ? caller.userId() : request.getUserId();
    Calls.answer(observer, () -> getUser(users, userId));
  }

  static CompletionStage<GetUserReply> getUser(UserRepository users, long userId) {
    return users
        .get(userId)
        .thenApply(
            user ->
                GetUserReply.newBuilder()
                    .setUser(Protos.user(user.orElseThrow(Calls::userNotFound)))
                    .build());
  }

  /** Replaces the caller's profile (every field, as GIM does). */
  @Override
  public void updateUser(UpdateUserRequest request, StreamObserver<Empty> observer) {
    Caller caller = Caller.current();
    Calls.answer(
        observer,
        () -> {
          UserRecord.Profile profile =
              new UserRecord.Profile(
                  Calls.text("nickname", request.getNickname(), Schema.NICKNAME_MAX),
                  request.getSex(),
                  Calls.text("avatar url", request.getAvatarUrl(), Schema.URL_MAX),
                  Calls.text("extra", request.getExtra(), Schema.EXTRA_MAX));
          return users
              .update(caller.userId(), profile)
              .thenApply(
                  found -> {
                    if (!found) {
                      throw Calls.userNotFound();
                    }
                    return Empty.getDefaultInstance();
                  });
        });
  }

  /**
   * Users whose phone number is the key, or whose nickname starts with it; at most {@value
   * #SEARCH_LIMIT}, by id. An empty key finds nobody.
   */
  @Override
  public void searchUser(SearchUserRequest request, StreamObserver<SearchUserReply> observer) {
    Calls.answer(
        observer,
        () -> {
          String key = request.getKey().strip();
          if (key.isEmpty()) {
            return CompletableFuture.completedFuture(SearchUserReply.getDefaultInstance());
          }
          Calls.text("key", key, Schema.NICKNAME_MAX);
          return users
              .search(key, SEARCH_LIMIT)
              .thenApply(
                  found ->
                      SearchUserReply.newBuilder()
                          .addAllUsers(found.stream().map(Protos::user).toList())
                          .build());
        });
  }
}
