package io.gim.store.jdbc.internal;

import static io.gim.store.jdbc.internal.Tables.*;

import io.gim.spi.store.Device;
import io.gim.spi.store.DeviceStore;
import io.gim.spi.store.DeviceType;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.exception.DataAccessException;

/** A {@link DeviceStore} on jOOQ; thread-safe, and no method blocks. */
final class JdbcDeviceStore implements DeviceStore {
  private final Database db;

  JdbcDeviceStore(Database db) {
    this.db = db;
  }

  @Override
  public CompletionStage<Long> save(Device d) {
    return db.transaction(ctx -> d.id() == 0 ? insert(ctx, d) : upsert(ctx, d));
  }

  private static long insert(DSLContext ctx, Device d) {
    try {
      return ctx.insertInto(
              DEVICE,
              DEVICE_USER,
              DEVICE_TYPE,
              DEVICE_BRAND,
              DEVICE_MODEL,
              DEVICE_SYSTEM,
              DEVICE_SDK,
              DEVICE_PUSH)
          .values(
              d.userId(),
              d.type().number(),
              d.brand(),
              d.model(),
              d.systemVersion(),
              d.sdkVersion(),
              d.pushId())
          .returningResult(DEVICE_ID)
          .fetchOne()
          .value1();
    } catch (DataAccessException e) {
      if (Failures.uniqueViolation(e)) {
        // The identity hit an id a caller chose explicitly; the next one is free.
        throw new Failures.Retry("generated device id taken", e);
      }
      throw e;
    }
  }

  private static long upsert(DSLContext ctx, Device d) {
    Appender.upsert(
        () ->
            ctx.insertInto(
                    DEVICE,
                    DEVICE_ID,
                    DEVICE_USER,
                    DEVICE_TYPE,
                    DEVICE_BRAND,
                    DEVICE_MODEL,
                    DEVICE_SYSTEM,
                    DEVICE_SDK,
                    DEVICE_PUSH)
                .values(
                    d.id(),
                    d.userId(),
                    d.type().number(),
                    d.brand(),
                    d.model(),
                    d.systemVersion(),
                    d.sdkVersion(),
                    d.pushId())
                .onConflict(DEVICE_ID)
                .doUpdate()
                .set(DEVICE_USER, d.userId())
                .set(DEVICE_TYPE, d.type().number())
                .set(DEVICE_BRAND, d.brand())
                .set(DEVICE_MODEL, d.model())
                .set(DEVICE_SYSTEM, d.systemVersion())
                .set(DEVICE_SDK, d.sdkVersion())
                .set(DEVICE_PUSH, d.pushId())
                .execute());
    return d.id();
  }

  @Override
  public CompletionStage<Optional<Device>> get(long deviceId) {
    return db.read(
        ctx ->
            ctx.select(columns())
                .from(DEVICE)
                .where(DEVICE_ID.eq(deviceId))
                .fetchOptional(JdbcDeviceStore::device));
  }

  @Override
  public CompletionStage<List<Device>> list(long userId) {
    return db.read(
        ctx ->
            ctx.select(columns())
                .from(DEVICE)
                .where(DEVICE_USER.eq(userId))
                .orderBy(DEVICE_ID)
                .fetch(JdbcDeviceStore::device));
  }

  private static List<org.jooq.Field<?>> columns() {
    return List.of(
        DEVICE_ID,
        DEVICE_USER,
        DEVICE_TYPE,
        DEVICE_BRAND,
        DEVICE_MODEL,
        DEVICE_SYSTEM,
        DEVICE_SDK,
        DEVICE_PUSH);
  }

  private static Device device(Record r) {
    return new Device(
        r.get(DEVICE_ID),
        r.get(DEVICE_USER),
        DeviceType.ofNumber(r.get(DEVICE_TYPE)),
        r.get(DEVICE_BRAND),
        r.get(DEVICE_MODEL),
        r.get(DEVICE_SYSTEM),
        r.get(DEVICE_SDK),
        r.get(DEVICE_PUSH));
  }
}
