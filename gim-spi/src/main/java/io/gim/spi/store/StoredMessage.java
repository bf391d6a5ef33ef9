package io.gim.spi.store;

import java.util.Objects;

/**
 * One inbox entry as sync returns it. Its {@code equals} compares the content array's reference,
 * not its bytes.
 *
 * @param messageId the stored message's id
 * @param seq the inbox owner's seq of it
 * @param senderUserId who sent it (0 for the system)
 * @param senderDeviceId the sending device (0 for the system)
 * @param command the {@code Message.command} value
 * @param content the {@code Message.content} bytes; not to be modified
 * @param createdAtMillis when it was accepted, Unix milliseconds
 */
public record StoredMessage(
    long messageId,
    long seq,
    long senderUserId,
    long senderDeviceId,
    int command,
    byte[] content,
    long createdAtMillis) {
  public StoredMessage {
    Objects.requireNonNull(content, "content");
  }
}
