package io.gim.core.memory;

import io.gim.spi.store.NewMessage;
import io.gim.spi.store.StoredMessage;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
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
 * a small store stays small; a record larger than a quarter of that gets a chunk of its own.
 *
 * <p>Each chunk counts the inbox entries that refer to its records. A full-size chunk whose count
 * falls to zero once the arena has moved on from it is kept for reuse (up to {@link
 * #MAX_POOLED_CHUNKS}): a store with a retention then writes into the same chunks over and over,
 * and the collector never has to find them dead (otherwise G1 reclaimed them only in a concurrent
 * cycle every ~10 s at 219 k messages a second, which took 40–70 ms of the server's only core).
 *
 * <p>Thread-safe: {@link #put} reserves a record's space under the arena's monitor and writes it
 * outside, and a record is never written again while an entry refers to it. A reader must get the
 * chunk and offset through a lock that the writer took after {@link #put} returned (an inbox's),
 * which makes the record's bytes visible to it, and must hold that lock while it reads: only then
 * can the entry not be released under it.
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

  private static final int POOLED_CHUNK_BYTES = MAX_CHUNK_BYTES - HEADER_ROOM;
  private static final int MAX_POOLED_CHUNKS = 16;
  private static final int MAX_RECORD_BYTES = Integer.MAX_VALUE - 16; // below the JVM's array limit
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());
  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.nativeOrder());

  private final ArrayDeque<Chunk> pool = new ArrayDeque<>();
  private Chunk current;
  private int used;
  private int nextChunkBytes = FIRST_CHUNK_BYTES;
  private long reused;

  /** Where {@link #put} wrote a record: {@code offset} in {@code chunk}. */
  record Ref(Chunk chunk, int offset) {}

  /**
   * Writes the record of {@code message} with id {@code messageId}, to be referred to by {@code
   * entries} inbox entries: each must be {@linkplain Chunk#release released} once, when its entry
   * goes.
   */
  Ref put(long messageId, NewMessage message, int entries) {
    byte[] content = message.content();
    if (content.length > MAX_RECORD_BYTES - HEADER_BYTES) {
      throw new IllegalArgumentException(
          "content: "
              + content.length
              + " bytes (expected: at most "
              + (MAX_RECORD_BYTES - HEADER_BYTES)
              + ")");
    }
    Ref ref = reserve(align8(HEADER_BYTES + content.length), entries);
    // Outside the arena's monitor: the space is this caller's alone, and its entries keep the
    // chunk from being reused, so appends on other threads wait only for the reservation.
    byte[] b = ref.chunk().bytes;
    int offset = ref.offset();
    LONG.set(b, offset, messageId);
    LONG.set(b, offset + 8, message.senderUserId());
    LONG.set(b, offset + 16, message.senderDeviceId());
    LONG.set(b, offset + 24, message.createdAtMillis());
    INT.set(b, offset + 32, message.command());
    INT.set(b, offset + 36, content.length);
    System.arraycopy(content, 0, b, offset + HEADER_BYTES, content.length);
    return ref;
  }

  /** Space for a record of {@code bytes}, with its chunk retained for {@code entries}. */
  private synchronized Ref reserve(int bytes, int entries) {
    Chunk target;
    int offset;
    if (bytes > MAX_CHUNK_BYTES / 4) {
      target = new Chunk(this, new byte[bytes], 0); // large: its own chunk, the shared one goes on
      offset = 0;
    } else {
      if (current == null || bytes > current.bytes.length - used) {
        Chunk full = current;
        current = nextChunk(bytes);
        used = 0;
        if (full != null) {
          full.close();
        }
      }
      target = current;
      offset = used;
      used += bytes;
    }
    target.retain(entries);
    return new Ref(target, offset);
  }

  /** Full-size chunks taken again from the pool so far; for tests. */
  synchronized long chunksReused() {
    return reused;
  }

  /**
   * A chunk for a record of {@code bytes} (at most a quarter of the largest) and those after it.
   */
  private Chunk nextChunk(int bytes) {
    while (nextChunkBytes - HEADER_ROOM < bytes) {
      nextChunkBytes *= 2; // a record larger than the next small chunk: skip to one it fits
    }
    if (nextChunkBytes == MAX_CHUNK_BYTES) {
      Chunk pooled = pool.poll();
      if (pooled != null) {
        reused++;
        pooled.reopen();
        return pooled;
      }
    }
    Chunk chunk = new Chunk(this, new byte[nextChunkBytes - HEADER_ROOM], Chunk.OPEN);
    nextChunkBytes = Math.min(nextChunkBytes * 2, MAX_CHUNK_BYTES);
    return chunk;
  }

  /** {@code chunk} holds no entry's record and takes no more: kept for reuse if full-size. */
  private synchronized void recycle(Chunk chunk) {
    if (chunk.bytes.length == POOLED_CHUNK_BYTES && pool.size() < MAX_POOLED_CHUNKS) {
      pool.push(chunk);
    }
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

  /**
   * One chunk of records and its state: the count of entries referring to it, plus {@link #OPEN}
   * while the arena writes into it. Exactly one of {@link #release} and {@link #close} takes the
   * state to zero, and that one recycles the chunk.
   */
  static final class Chunk {
    private static final long OPEN = 1L << 62; // above any count: a record may go to millions
    private static final VarHandle STATE;

    static {
      try {
        STATE = MethodHandles.lookup().findVarHandle(Chunk.class, "state", long.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    final byte[] bytes;
    private final MessageArena arena;
    private volatile long state;

    private Chunk(MessageArena arena, byte[] bytes, long state) {
      this.arena = arena;
      this.bytes = bytes;
      this.state = state;
    }

    private void retain(int entries) {
      STATE.getAndAdd(this, (long) entries);
    }

    /** One inbox entry that referred to a record here is gone. */
    void release() {
      long before = (long) STATE.getAndAdd(this, -1L);
      if (before == 1) {
        arena.recycle(this);
      } else if (before <= 0 || before == OPEN) {
        throw new IllegalStateException("chunk released more often than retained: " + before);
      }
    }

    /** The arena writes no more here. */
    private void close() {
      if ((long) STATE.getAndAdd(this, -OPEN) == OPEN) {
        arena.recycle(this);
      }
    }

    private void reopen() {
      state = OPEN;
    }
  }
}
