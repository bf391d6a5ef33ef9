package io.gim.bench;

/** One sender of the load: a GIM connection, a NATS or an MQTT client. */
public interface Publisher extends AutoCloseable {

  /** Sends {@code n} messages; may return before they are written. */
  void publish(int n);

  /** Messages sent but not yet acknowledged; 0 for servers without acks. */
  default long inFlight() {
    return 0;
  }

  @Override
  default void close() {}
}
