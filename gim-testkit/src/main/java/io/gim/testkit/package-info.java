/**
 * Test support for GIM for Java: {@link io.gim.testkit.RecordingClient}, a protocol-level client
 * for end-to-end tests, and the SPI contract suites in {@code io.gim.testkit.contract} that every
 * store implementation extends.
 */
package io.gim.testkit;
