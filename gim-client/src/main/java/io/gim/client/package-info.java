/**
 * The Java client of GIM for Java. Start with {@link io.gim.client.GimClient#builder()}; the
 * application implements {@link io.gim.client.MessageListener} and receives {@link
 * io.gim.client.ReceivedMessage}s in seq order, exactly once per seq, each naming its sender as a
 * {@link io.gim.client.User}. No type of the wire protocol or of Netty appears in this package.
 * Requests fail with {@link io.gim.client.GimClientException}. Many clients can share I/O threads
 * through {@link io.gim.client.ClientResources}.
 */
package io.gim.client;
