/**
 * Abstract JUnit 5 contract suites, one per SPI, that every implementation extends: {@link
 * io.gim.testkit.contract.MessageStoreContract}, {@link
 * io.gim.testkit.contract.GroupStoreContract}, {@link io.gim.testkit.contract.DeviceStoreContract},
 * {@link io.gim.testkit.contract.PresenceRegistryContract} and {@link
 * io.gim.testkit.contract.RoomBusContract}.
 *
 * <p>A subclass supplies the implementation under test through the suite's {@code create...} method
 * and may release it in the matching {@code close...} hook. Tests pick random user, device and
 * group ids, so a durable store may be shared by every test of a run without clearing it.
 */
package io.gim.testkit.contract;
