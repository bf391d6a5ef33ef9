package io.gim.store.redis.internal;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Key names. Every key of one user carries the hash tag {@code {u:<id>}}, so a per-user script
 * touches one cluster slot; keys of the whole store carry {@code {gim}}; a group's keys carry
 * {@code {g:<id>}}, a device's {@code {d:<id>}}. Every key starts with the store's prefix, which
 * may not hold braces (they would move the hash tag).
 */
public final class Keys {
  private final String prefix;

  public Keys(String prefix) {
    Objects.requireNonNull(prefix, "prefix");
    if (prefix.indexOf('{') >= 0 || prefix.indexOf('}') >= 0) {
      throw new IllegalArgumentException(
          "prefix: " + prefix + " (expected: no braces; they would move the cluster hash tag)");
    }
    this.prefix = prefix;
  }

  /** The prefix every key starts with. */
  public String prefix() {
    return prefix;
  }

  /** The tag of one user's keys, e.g. {@code gim:{u:42}}. */
  public String userTag(long userId) {
    return prefix + "{u:" + Long.toUnsignedString(userId) + "}";
  }

  /** A key of one user: {@code <prefix>{u:<id>}:<name>}. */
  public byte[] user(long userId, String name) {
    return bytes(userTag(userId) + ":" + name);
  }

  /** A key of one user ending in raw bytes (say a client's message id). */
  public byte[] user(long userId, String name, byte[] tail) {
    byte[] head = user(userId, name);
    byte[] key = new byte[head.length + tail.length];
    System.arraycopy(head, 0, key, 0, head.length);
    System.arraycopy(tail, 0, key, head.length, tail.length);
    return key;
  }

  /** A key of one group: {@code <prefix>{g:<id>}:<name>}. */
  public byte[] group(long groupId, String name) {
    return bytes(prefix + "{g:" + Long.toUnsignedString(groupId) + "}:" + name);
  }

  /** A key of one device: {@code <prefix>{d:<id>}:<name>}. */
  public byte[] device(long deviceId, String name) {
    return bytes(prefix + "{d:" + Long.toUnsignedString(deviceId) + "}:" + name);
  }

  /** A key of the whole store: {@code <prefix>{gim}:<name>}. */
  public byte[] global(String name) {
    return bytes(prefix + "{gim}:" + name);
  }

  /** A pub/sub channel name: {@code <prefix><name>}. */
  public byte[] channel(String name) {
    return bytes(prefix + name);
  }

  /** UTF-8 bytes. */
  public static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** A number as its decimal text, as Redis keeps numbers. */
  public static byte[] number(long value) {
    return bytes(Long.toString(value));
  }

  /** A decimal number Redis returned as text or as an integer reply. */
  public static long parse(Object reply) {
    if (reply == null) {
      return 0;
    }
    if (reply instanceof Long l) {
      return l;
    }
    if (reply instanceof byte[] b) {
      return Long.parseLong(new String(b, StandardCharsets.US_ASCII));
    }
    return Long.parseLong(reply.toString());
  }
}
