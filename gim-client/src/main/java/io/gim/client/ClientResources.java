package io.gim.client;

import io.gim.client.internal.IoThreadFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.util.concurrent.TimeUnit;

/**
 * I/O threads that many {@link GimClient}s can share, e.g. a load generator running thousands of
 * clients on a few threads. Thread-safe. Whoever creates it closes it, after the clients that use
 * it: a client never shuts down resources handed to it.
 *
 * <pre>{@code
 * try (ClientResources io = ClientResources.create(4)) {
 *     GimClient a = GimClient.builder().resources(io)...build();
 * }
 * }</pre>
 */
public final class ClientResources implements AutoCloseable {

  private final EventLoopGroup group;

  private ClientResources(EventLoopGroup group) {
    this.group = group;
  }

  /** Starts {@code ioThreads} threads named {@code gim-client-io-N}. Does not block. */
  public static ClientResources create(int ioThreads) {
    if (ioThreads <= 0) {
      throw new IllegalArgumentException("ioThreads: " + ioThreads + " (expected: > 0)");
    }
    return new ClientResources(newGroup(ioThreads));
  }

  static EventLoopGroup newGroup(int ioThreads) {
    return new MultiThreadIoEventLoopGroup(
        ioThreads, new IoThreadFactory(), NioIoHandler.newFactory());
  }

  EventLoopGroup group() {
    return group;
  }

  /** Stops the threads and blocks until they ended (at most about five seconds). Idempotent. */
  @Override
  public void close() {
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }
}
