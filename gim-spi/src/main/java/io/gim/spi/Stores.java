package io.gim.spi;

import io.gim.spi.store.DeviceStore;
import io.gim.spi.store.GroupStore;
import io.gim.spi.store.MessageStore;

/**
 * The bundle of durable stores a server runs on. Presets such as {@code InMemoryStores.create()} or
 * {@code JdbcStores.h2(path)} build one. Presence and the room bus are set apart on the server
 * builder: they are per cluster, not per database.
 *
 * <p>{@link #close()} releases what the bundle itself created (pools, clients) and leaves open
 * anything the host handed in. The server closes the bundle it was given when the server closes.
 */
public interface Stores extends AutoCloseable {

  /** Messages, inboxes, seqs, acks and send dedupe. */
  MessageStore messages();

  /** Groups and their members. */
  GroupStore groups();

  /** Device records. */
  DeviceStore devices();

  /** Releases what this bundle created; idempotent. The default does nothing. */
  @Override
  default void close() {}
}
