package io.gim.spi.store;

import java.util.Objects;

/**
 * A device record.
 *
 * @param id the device id; 0 when saving lets the store choose
 * @param userId the user the device belongs to
 * @param pushId the vendor push id (GIM's {@code branch_push_id})
 */
public record Device(
    long id,
    long userId,
    DeviceType type,
    String brand,
    String model,
    String systemVersion,
    String sdkVersion,
    String pushId) {
  public Device {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(brand, "brand");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(systemVersion, "systemVersion");
    Objects.requireNonNull(sdkVersion, "sdkVersion");
    Objects.requireNonNull(pushId, "pushId");
  }

  /** This device with another id. */
  public Device withId(long newId) {
    return new Device(newId, userId, type, brand, model, systemVersion, sdkVersion, pushId);
  }
}
