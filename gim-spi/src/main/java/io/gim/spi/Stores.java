package io.gim.spi;

import io.gim.spi.store.DeviceStore;
import io.gim.spi.store.GroupStore;
import io.gim.spi.store.MessageStore;
import java.util.Objects;

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

  /**
   * A bundle of stores the host made and keeps: {@link #close()} closes none of them. For mixing
   * implementations (say, messages in one store and groups in another) or wrapping one.
   */
  static Stores of(MessageStore messages, GroupStore groups, DeviceStore devices) {
    Objects.requireNonNull(messages, "messages");
    Objects.requireNonNull(groups, "groups");
    Objects.requireNonNull(devices, "devices");
    return new Stores() {
      @Override
      public MessageStore messages() {
        return messages;
      }

      @Override
      public GroupStore groups() {
        return groups;
      }

      @Override
      public DeviceStore devices() {
        return devices;
      }
    };
  }
}
