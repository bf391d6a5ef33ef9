package io.gim.spi;

/**
 * One device of one user: the identity of a signed-in connection. Device ids need only be unique
 * within a user, so a device is always the pair, never the device id alone.
 *
 * <p>Immutable and thread-safe.
 *
 * @param userId the user, {@code > 0}
 * @param deviceId the device within that user, {@code > 0}
 */
public record DeviceKey(long userId, long deviceId) {
  public DeviceKey {
    if (userId <= 0) {
      throw new IllegalArgumentException("userId: " + userId + " (expected: > 0)");
    }
    if (deviceId <= 0) {
      throw new IllegalArgumentException("deviceId: " + deviceId + " (expected: > 0)");
    }
  }

  /** The device {@code deviceId} of user {@code userId}. */
  public static DeviceKey of(long userId, long deviceId) {
    return new DeviceKey(userId, deviceId);
  }
}
