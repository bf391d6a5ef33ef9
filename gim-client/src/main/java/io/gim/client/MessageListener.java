package io.gim.client;

/**
 * Receives what a {@link GimClient} delivers. Implemented by the application.
 *
 * <p>Threading: a client calls its listener on one thread at a time, its I/O thread, so an
 * implementation needs no locking of its own but must not block: hand slow work to another
 * executor, and never wait on a future of the same client here (its reply would need this very
 * thread). An exception thrown from a method is logged and does not stop delivery; the message
 * still counts as delivered.
 */
public interface MessageListener {

  /**
   * One message: inbox messages ({@code seq > 0}) come in strictly increasing seq order, each once
   * per client; room and broadcast messages ({@code seq == 0}) come as they arrive. The inbox
   * includes the messages this device sent (they are stored for the sender too): each arrives here
   * once, through a sync started when its {@code SendResult} comes back; tell them apart by {@code
   * message.from()}'s device id.
   */
  void onMessage(ReceivedMessage message);

  /** The client signed in and finished the sync that follows every (re)connect. */
  default void onConnected() {}

  /**
   * A signed-in connection was lost (the client reconnects unless it was closed or kicked out), or
   * a reconnect gave up, e.g. because the server refused the sign-in.
   */
  default void onDisconnected(Throwable cause) {}

  /**
   * The server ended this session, typically because the same device signed in elsewhere (code
   * 10301). The client does not reconnect; {@link GimClient#connect()} takes the session back.
   */
  default void onKickedOut(int code, String message) {}
}
