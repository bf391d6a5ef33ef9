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

  /**
   * A hash that spreads keys whose device id follows the user id (hosts that number devices like
   * users, GIM's own clients among them): the record's default, {@code 31 * user + device}, is a
   * multiple of 32 for them and piled a node's sessions into a few bins of its registry.
   */
  @Override
  public int hashCode() {
    long h = (userId * 0x9E3779B97F4A7C15L) ^ deviceId;
    h *= 0xBF58476D1CE4E5B9L;
    return (int) (h ^ (h >>> 32));
  }

  /** The device {@code deviceId} of user {@code userId}. */
  public static DeviceKey of(long userId, long deviceId) {
    return new DeviceKey(userId, deviceId);
  }
}
