package io.gim.client;

/**
 * The server's answer to a send. Immutable and thread-safe.
 *
 * @param messageId the stored message's id (0 or an id for room messages, which are not stored)
 * @param seq the sender's own inbox seq of the message; 0 for room messages
 * @param createdAt when the server accepted the message, in Unix seconds
 */
public record SendResult(long messageId, long seq, long createdAt) {}
