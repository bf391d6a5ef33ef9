package io.gim.spi.store;

import java.util.Objects;

/**
 * A message to store, before it has an id. Like every record here holding a {@code byte[]}, its
 * {@code equals} compares the array reference, not the bytes: compare fields to compare content.
 *
 * @param senderUserId who sent it; 0 for the system (host API pushes)
 * @param senderDeviceId the sending device; 0 for the system
 * @param command the {@code Message.command} value (1 user, 2 group, or a host-defined value)
 * @param content the {@code Message.content} bytes, stored as they are; not to be modified
 * @param createdAtMillis when it was accepted, Unix milliseconds
 */
public record NewMessage(
    long senderUserId, long senderDeviceId, int command, byte[] content, long createdAtMillis) {
  public NewMessage {
    Objects.requireNonNull(content, "content");
  }
}
