package io.gim.core.memory;

import io.gim.spi.store.NewMessage;
import io.gim.spi.store.StoredMessage;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Stored messages packed as records into shared byte chunks, so that a stored message is no object
 * of its own: the collector sees a few large arrays, however many messages a store holds. With one
 * record object and one content array per message, a store keeping 2 s of 270 k messages a second
 * had G1 copy every message out of the young generation, in 7–8 ms pauses every 60 ms.
 *
 * <p>A record is the message id, sender user, sender device and creation time (longs), the command
 * and the content's length (ints), then the content, padded to a multiple of 8 bytes. Chunks start
 * at 4 KiB and double up to 1 MiB (less 64 bytes, so that an array fits its power of two), so that
 * a small store stays small; a record larger than a quarter of that gets a chunk of its own. A
 * chunk is garbage once no inbox slot refers to it.
 *
 * <p>Thread-safe: {@link #put} is synchronized, and a record is never written again. A reader must
 * get the chunk and offset through a lock that the writer took after {@link #put} returned (an
 * inbox's), which makes the record's bytes visible to it.
 */
final class MessageArena {
  static final int HEADER_BYTES = 40;
  private static final int FIRST_CHUNK_BYTES = 4 << 10;
  private static final int MAX_CHUNK_BYTES = 1 << 20;

  /**
   * Taken off each chunk's power-of-two size for the array's header: a 1 MiB chunk plus its header
   * would take two of G1's 1 MiB regions (heaps under 2 GB), holding twice its memory.
   */
  private static final int HEADER_ROOM = 64;

  private static final int MAX_RECORD_BYTES = Integer.MAX_VALUE - 16; // below the JVM's array limit
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());
  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.nativeOrder());

  private byte[] chunk = new byte[0];
  private int used;
  private int nextChunkBytes = FIRST_CHUNK_BYTES;

  /** Where {@link #put} wrote a record: {@code offset} in {@code chunk}. */
  record Ref(byte[] chunk, int offset) {}

  /** Writes the record of {@code message} with id {@code messageId}. */
  synchronized Ref put(long messageId, NewMessage message) {
    byte[] content = message.content();
    if (content.length > MAX_RECORD_BYTES - HEADER_BYTES) {
      throw new IllegalArgumentException(
          "content: "
              + content.length
              + " bytes (expected: at most "
              + (MAX_RECORD_BYTES - HEADER_BYTES)
              + ")");
    }
    int bytes = align8(HEADER_BYTES + content.length);
    byte[] target;
    int offset;
    if (bytes > MAX_CHUNK_BYTES / 4) {
      target = new byte[bytes]; // large: a chunk of its own, the shared one goes on
      offset = 0;
    } else {
      if (bytes > chunk.length - used) {
        chunk = new byte[Math.max(nextChunkBytes - HEADER_ROOM, bytes)];
        used = 0;
        nextChunkBytes = Math.min(nextChunkBytes * 2, MAX_CHUNK_BYTES);
      }
      target = chunk;
      offset = used;
      used += bytes;
    }
    LONG.set(target, offset, messageId);
    LONG.set(target, offset + 8, message.senderUserId());
    LONG.set(target, offset + 16, message.senderDeviceId());
    LONG.set(target, offset + 24, message.createdAtMillis());
    INT.set(target, offset + 32, message.command());
    INT.set(target, offset + 36, content.length);
    System.arraycopy(content, 0, target, offset + HEADER_BYTES, content.length);
    return new Ref(target, offset);
  }

  /** The creation time of the record at {@code offset}. */
  static long createdAtMillis(byte[] chunk, int offset) {
    return (long) LONG.get(chunk, offset + 24);
  }

  /** The record at {@code offset} as {@code seq} of an inbox, with a copy of its content. */
  static StoredMessage read(byte[] chunk, int offset, long seq) {
    int length = (int) INT.get(chunk, offset + 36);
    int from = offset + HEADER_BYTES;
    return new StoredMessage(
        (long) LONG.get(chunk, offset),
        seq,
        (long) LONG.get(chunk, offset + 8),
        (long) LONG.get(chunk, offset + 16),
        (int) INT.get(chunk, offset + 32),
        Arrays.copyOfRange(chunk, from, from + length),
        (long) LONG.get(chunk, offset + 24));
  }

  private static int align8(int bytes) {
    return (int) ((bytes + 7L) & ~7L);
  }
}
