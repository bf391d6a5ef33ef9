package io.gim.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DeviceKeyTest {

  /** The bin a ConcurrentHashMap or HashMap of {@code tableSize} puts a hash in. */
  private static int bin(int hash, int tableSize) {
    return (hash ^ (hash >>> 16)) & (tableSize - 1);
  }

  @Test
  void keysWhoseDeviceIdFollowsTheUserIdSpreadOverAHashTable() {
    // Hosts that number devices like users (device = user, as GIM's own clients and the
    // benchmarks do) must not pile up in a few bins of the session registry: a record's default
    // hash, 31 * user + device, put 5,000 such keys into 256 of 8,192 bins.
    Set<Integer> bins = new HashSet<>();
    for (long i = 1; i <= 5_000; i++) {
      bins.add(bin(DeviceKey.of(i, i).hashCode(), 8_192));
    }
    // Uniformly random hashes would fill about 3,700 bins.
    assertThat(bins).hasSizeGreaterThan(3_000);
  }

  @Test
  void keysOfOneUsersDevicesAndOfOneDeviceNumberAcrossUsersSpreadToo() {
    Set<Integer> byDevice = new HashSet<>();
    Set<Integer> byUser = new HashSet<>();
    for (long i = 1; i <= 5_000; i++) {
      byDevice.add(bin(DeviceKey.of(7, i).hashCode(), 8_192));
      byUser.add(bin(DeviceKey.of(i, 1).hashCode(), 8_192));
    }
    assertThat(byDevice).hasSizeGreaterThan(3_000);
    assertThat(byUser).hasSizeGreaterThan(3_000);
  }

  @Test
  void equalKeysHaveEqualHashes() {
    assertThat(DeviceKey.of(3, 4)).isEqualTo(DeviceKey.of(3, 4));
    assertThat(DeviceKey.of(3, 4).hashCode()).isEqualTo(DeviceKey.of(3, 4).hashCode());
    assertThat(DeviceKey.of(3, 4)).isNotEqualTo(DeviceKey.of(4, 3));
  }
}
