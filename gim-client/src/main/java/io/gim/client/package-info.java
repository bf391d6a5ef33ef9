/**
 * The Java client of GIM for Java. Start with {@link io.gim.client.GimClient#builder()}; the
 * application implements {@link io.gim.client.MessageListener} and receives {@link
 * io.gim.client.ReceivedMessage}s in seq order, exactly once per seq. Requests fail with {@link
 * io.gim.client.GimClientException}. Many clients can share I/O threads through {@link
 * io.gim.client.ClientResources}.
 */
package io.gim.client;
