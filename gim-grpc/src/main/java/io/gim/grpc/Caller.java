package io.gim.grpc;

import io.grpc.Context;

/**
 * The authenticated device of an Ext call: the {@code user_id} and {@code device_id} metadata that
 * the {@link io.gim.spi.AuthProvider} accepted together with the call's {@code token}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param userId the calling user
 * @param deviceId the calling device (of that user)
 */
public record Caller(long userId, long deviceId) {
  static final Context.Key<Caller> KEY = Context.key("gim-caller");

  /**
   * The caller of the Ext call being served on this thread.
   *
   * @throws IllegalStateException outside a call that {@link ExtAuth} authenticated
   */
  public static Caller current() {
    Caller caller = KEY.get();
    if (caller == null) {
      throw new IllegalStateException("no authenticated gRPC call on this thread");
    }
    return caller;
  }
}
