package io.gim.spi.store;

/** The kind of a device, with GIM's wire numbers. */
public enum DeviceType {
  DEFAULT(0),
  ANDROID(1),
  IOS(2),
  WINDOWS(3),
  MACOS(4),
  WEB(5);

  private final int number;

  DeviceType(int number) {
    this.number = number;
  }

  /** The {@code DeviceType} number of GIM's protocol. */
  public int number() {
    return number;
  }

  /** The type of a wire number; unknown numbers are {@link #DEFAULT}. */
  public static DeviceType ofNumber(int number) {
    for (DeviceType t : values()) {
      if (t.number == number) {
        return t;
      }
    }
    return DEFAULT;
  }
}
