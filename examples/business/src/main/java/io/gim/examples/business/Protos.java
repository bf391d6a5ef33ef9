package io.gim.examples.business;

import io.gim.grpc.business.User;
import java.util.concurrent.TimeUnit;

/**
 * Conversions from the business records to their protobuf messages. Times go out in Unix seconds,
 * as GIM sends them. Stateless and thread-safe.
 */
final class Protos {
  private Protos() {}

  static User user(UserRecord u) {
    return User.newBuilder()
        .setUserId(u.id())
        .setNickname(u.nickname())
        .setSex(u.sex())
        .setAvatarUrl(u.avatarUrl())
        .setExtra(u.extra())
        .setCreateTime(TimeUnit.MILLISECONDS.toSeconds(u.createdAt()))
        .setUpdateTime(TimeUnit.MILLISECONDS.toSeconds(u.updatedAt()))
        .build();
  }

  /** The sender of a pushed message: the profile plus the device it was sent from. */
  static io.gim.grpc.logic.User sender(UserRecord u, long deviceId) {
    return io.gim.grpc.logic.User.newBuilder()
        .setUserId(u.id())
        .setDeviceId(deviceId)
        .setNickname(u.nickname())
        .setAvatarUrl(u.avatarUrl())
        .setExtra(u.extra())
        .build();
  }
}
