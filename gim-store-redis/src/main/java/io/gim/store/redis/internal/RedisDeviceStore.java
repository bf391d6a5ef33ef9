package io.gim.store.redis.internal;

import io.gim.spi.store.Device;
import io.gim.spi.store.DeviceStore;
import io.gim.spi.store.DeviceType;
import io.lettuce.core.ScriptOutputType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The {@link DeviceStore} on Redis. A device's record lives in its own slot (tag {@code {d:<id>}})
 * as a hash: {@code d} the packed record, user included; {@code v} the version of the save that
 * wrote it; {@code next} the last version handed out. The record is the truth: {@link #get} reads
 * it alone, and {@link #list} reads the user's index ({@code {u:<id>}:devices}, device id to
 * version) and keeps only the devices whose record names that user.
 *
 * <p>A save spans two or three slots, so no script can make it atomic; its steps are ordered so
 * that stopping after any of them leaves no device findable by one path and not the other:
 *
 * <ol>
 *   <li>take a version ({@code HINCRBY next});
 *   <li>index the device under its user: an entry whose record is missing or names another user is
 *       skipped by {@code list}, just as {@code get} does not show it;
 *   <li>write the record unless a later version has ({@code device-put.lua});
 *   <li>if the device changed users, drop it from the old user's index (until then it is skipped
 *       there, as its record names the new user).
 * </ol>
 *
 * <p>Versions make step 4 safe while other saves of the same device run: an index entry keeps the
 * highest version that indexed it, and is dropped only while it holds a version below the record's:
 * the save of that version can never write the record any more, and any later save to that user
 * indexes again (step 2) before it writes. Thread-safe; no method blocks.
 */
public final class RedisDeviceStore implements DeviceStore {
  private static final byte[] NEXT = Keys.bytes("next");
  private static final byte[] RECORD = Keys.bytes("d");

  private final RedisTarget target;
  private final Keys keys;
  private final byte[] idKey;
  private final Script index = Script.load("device-index", ScriptOutputType.INTEGER);
  private final Script put = Script.load("device-put", ScriptOutputType.MULTI);
  private final Script forget = Script.load("device-forget", ScriptOutputType.INTEGER);

  public RedisDeviceStore(RedisTarget target, Keys keys) {
    this.target = target;
    this.keys = keys;
    this.idKey = keys.global("device-id");
  }

  @Override
  public CompletableFuture<Long> save(Device device) {
    if (device.id() == 0) {
      return saveWithNewId(device);
    }
    return version(device.id()).thenCompose(version -> write(device, version));
  }

  private CompletableFuture<Long> saveWithNewId(Device device) {
    return target
        .call(c -> c.incr(idKey))
        .thenCompose(
            id ->
                version(id)
                    .thenCompose(
                        version ->
                            // A later version: a caller saved this id explicitly; take the next.
                            version == 1
                                ? write(device.withId(id), version)
                                : saveWithNewId(device)));
  }

  private CompletableFuture<Long> write(Device device, long version) {
    return index(device, version)
        .thenCompose(ignored -> put(device, version))
        .thenCompose(put -> tidy(device, version, put))
        .thenApply(ignored -> device.id());
  }

  /** Step 1: a version for a save of the device, above every one handed out before. */
  CompletableFuture<Long> version(long deviceId) {
    return target.call(c -> c.hincrby(deviceKey(deviceId), NEXT, 1));
  }

  /** Step 2: the device in its user's index, with the highest version that put it there. */
  CompletableFuture<Void> index(Device device, long version) {
    return index
        .<Long>run(
            target,
            new byte[][] {userKey(device.userId())},
            Keys.number(device.id()),
            Keys.number(version))
        .thenApply(ignored -> null);
  }

  /** What step 3 found: whether it wrote, and the record (empty if none) it replaced or kept. */
  record Put(boolean written, byte[] other, byte[] otherVersion) {}

  /** Step 3: the record, unless a save with a later version wrote it first. */
  CompletableFuture<Put> put(Device device, long version) {
    return put.<List<Object>>run(
            target, new byte[][] {deviceKey(device.id())}, Keys.number(version), pack(device))
        .thenApply(
            reply ->
                new Put(
                    Keys.parse(reply.get(0)) == 1, (byte[]) reply.get(1), (byte[]) reply.get(2)));
  }

  /** Step 4: the index entry that no longer names the record's user, if any, removed. */
  CompletableFuture<Void> tidy(Device device, long version, Put put) {
    if (put.other().length == 0 || userOf(put.other()) == device.userId()) {
      return CompletableFuture.completedFuture(null);
    }
    // Written: the device left the replaced record's user. Not written: a later save gave it to
    // another user, and this save's own entry can go. Both versions are below the record's.
    long user = put.written() ? userOf(put.other()) : device.userId();
    byte[] stale = put.written() ? put.otherVersion() : Keys.number(version);
    return forget
        .<Long>run(target, new byte[][] {userKey(user)}, Keys.number(device.id()), stale)
        // The device is saved either way; an entry left behind is skipped by list.
        .handle((ignored, failure) -> null);
  }

  @Override
  public CompletableFuture<Optional<Device>> get(long deviceId) {
    return target
        .call(c -> c.hget(deviceKey(deviceId), RECORD))
        .thenApply(record -> Optional.ofNullable(record).map(r -> unpack(deviceId, r)));
  }

  @Override
  public CompletableFuture<List<Device>> list(long userId) {
    return target
        .call(c -> c.hkeys(userKey(userId)))
        .thenCompose(
            ids -> {
              // One read per record, each in its own slot; Lettuce sends them all at once.
              List<CompletableFuture<Optional<Device>>> reads = new ArrayList<>(ids.size());
              for (byte[] id : ids) {
                reads.add(get(Keys.parse(id)));
              }
              return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new))
                  .thenApply(
                      done ->
                          reads.stream()
                              .map(CompletableFuture::join)
                              .flatMap(Optional::stream)
                              .filter(d -> d.userId() == userId)
                              .sorted(Comparator.comparingLong(Device::id))
                              .toList());
            });
  }

  private byte[] deviceKey(long deviceId) {
    return keys.device(deviceId, "device");
  }

  private byte[] userKey(long userId) {
    return keys.user(userId, "devices");
  }

  private static byte[] pack(Device d) {
    return new Packed.Writer()
        .putLong(d.userId())
        .putInt(d.type().number())
        .putString(d.brand())
        .putString(d.model())
        .putString(d.systemVersion())
        .putString(d.sdkVersion())
        .putString(d.pushId())
        .toBytes();
  }

  private static long userOf(byte[] record) {
    return new Packed.Reader(record).getLong();
  }

  private static Device unpack(long id, byte[] record) {
    Packed.Reader r = new Packed.Reader(record);
    long user = r.getLong();
    DeviceType type = DeviceType.ofNumber(r.getInt());
    String brand = r.getString();
    String model = r.getString();
    String system = r.getString();
    String sdk = r.getString();
    return new Device(id, user, type, brand, model, system, sdk, r.getString());
  }
}
