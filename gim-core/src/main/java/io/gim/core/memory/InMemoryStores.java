package io.gim.core.memory;

import io.gim.spi.Stores;
import java.time.Duration;

/**
 * The in-memory bundle of stores; thread-safe, and no method blocks. It holds no threads, files or
 * sockets, so {@link #close()} has nothing to release.
 *
 * <pre>{@code
 * GimServer server = GimServer.builder().auth(auth).stores(InMemoryStores.create()).build();
 * }</pre>
 */
public final class InMemoryStores implements Stores {
  private final InMemoryMessageStore messages;
  private final InMemoryGroupStore groups = new InMemoryGroupStore();
  private final InMemoryDeviceStore devices = new InMemoryDeviceStore();

  private InMemoryStores(InMemoryMessageStore messages) {
    this.messages = messages;
  }

  /** A new, empty bundle that keeps messages for ever; thread-safe and non-blocking. */
  public static InMemoryStores create() {
    return new InMemoryStores(new InMemoryMessageStore());
  }

  /**
   * A new, empty bundle whose messages stay in the inboxes for {@code maxAge}; see {@link
   * InMemoryMessageStore#withInboxRetention}. Thread-safe and non-blocking.
   */
  public static InMemoryStores withInboxRetention(Duration maxAge) {
    return new InMemoryStores(InMemoryMessageStore.withInboxRetention(maxAge));
  }

  /** The message store; thread-safe, non-blocking. */
  @Override
  public InMemoryMessageStore messages() {
    return messages;
  }

  /** The group store; thread-safe, non-blocking. */
  @Override
  public InMemoryGroupStore groups() {
    return groups;
  }

  /** The device store; thread-safe, non-blocking. */
  @Override
  public InMemoryDeviceStore devices() {
    return devices;
  }

  /**
   * Does nothing and may be called any number of times; thread-safe, non-blocking. The data stays
   * readable: nothing here owns a resource that closing would release.
   */
  @Override
  public void close() {}
}
