package io.gim.store.jdbc.internal;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.table;
import static org.jooq.impl.DSL.unquotedName;

import org.jooq.Field;
import org.jooq.Table;
import org.jooq.impl.SQLDataType;

/**
 * The schema of {@code db/gim/*}/V1__schema.sql as hand-written jOOQ names. Names are unquoted:
 * each database folds them its own way (H2 and its upper case broke on quoted lower-case names).
 * Columns are qualified by their table so that they stay unambiguous in upserts and joins.
 */
final class Tables {
  private Tables() {}

  static final Table<?> META = table(unquotedName("gim_meta"));
  static final Field<Integer> META_ID = field(unquotedName("gim_meta", "id"), SQLDataType.INTEGER);
  static final Field<Long> META_EPOCH =
      field(unquotedName("gim_meta", "epoch"), SQLDataType.BIGINT);

  static final Table<?> MESSAGE = table(unquotedName("gim_message"));
  static final Field<Long> MESSAGE_ID =
      field(unquotedName("gim_message", "id"), SQLDataType.BIGINT.identity(true));
  static final Field<Long> MESSAGE_CREATED_AT =
      field(unquotedName("gim_message", "created_at"), SQLDataType.BIGINT);
  static final Field<Long> MESSAGE_SENDER_USER =
      field(unquotedName("gim_message", "sender_user_id"), SQLDataType.BIGINT);
  static final Field<Long> MESSAGE_SENDER_DEVICE =
      field(unquotedName("gim_message", "sender_device_id"), SQLDataType.BIGINT);
  static final Field<Integer> MESSAGE_COMMAND =
      field(unquotedName("gim_message", "command"), SQLDataType.INTEGER);
  static final Field<byte[]> MESSAGE_CONTENT =
      field(unquotedName("gim_message", "content"), SQLDataType.BLOB);

  static final Table<?> INBOX = table(unquotedName("gim_user_message"));
  static final Field<Long> INBOX_USER =
      field(unquotedName("gim_user_message", "user_id"), SQLDataType.BIGINT);
  static final Field<Long> INBOX_SEQ =
      field(unquotedName("gim_user_message", "seq"), SQLDataType.BIGINT);
  static final Field<Long> INBOX_MESSAGE =
      field(unquotedName("gim_user_message", "message_id"), SQLDataType.BIGINT);

  static final Table<?> USER_SEQ = table(unquotedName("gim_user_seq"));
  static final Field<Long> USER_SEQ_USER =
      field(unquotedName("gim_user_seq", "user_id"), SQLDataType.BIGINT);
  static final Field<Long> USER_SEQ_MAX =
      field(unquotedName("gim_user_seq", "max_seq"), SQLDataType.BIGINT);

  static final Table<?> ACK = table(unquotedName("gim_device_ack"));
  static final Field<Long> ACK_USER =
      field(unquotedName("gim_device_ack", "user_id"), SQLDataType.BIGINT);
  static final Field<Long> ACK_DEVICE =
      field(unquotedName("gim_device_ack", "device_id"), SQLDataType.BIGINT);
  static final Field<Long> ACK_SEQ =
      field(unquotedName("gim_device_ack", "ack"), SQLDataType.BIGINT);

  static final Table<?> DEDUPE = table(unquotedName("gim_send_dedupe"));
  static final Field<Long> DEDUPE_USER =
      field(unquotedName("gim_send_dedupe", "user_id"), SQLDataType.BIGINT);
  static final Field<Long> DEDUPE_DEVICE =
      field(unquotedName("gim_send_dedupe", "device_id"), SQLDataType.BIGINT);
  static final Field<String> DEDUPE_KEY =
      field(unquotedName("gim_send_dedupe", "client_msg_id"), SQLDataType.VARCHAR(255));
  static final Field<Long> DEDUPE_MESSAGE =
      field(unquotedName("gim_send_dedupe", "message_id"), SQLDataType.BIGINT);
  static final Field<Long> DEDUPE_CREATED_AT =
      field(unquotedName("gim_send_dedupe", "created_at"), SQLDataType.BIGINT);
  static final Field<Long> DEDUPE_SENDER_SEQ =
      field(unquotedName("gim_send_dedupe", "sender_seq"), SQLDataType.BIGINT);
  static final Field<Long> DEDUPE_EXPIRES_AT =
      field(unquotedName("gim_send_dedupe", "expires_at"), SQLDataType.BIGINT);

  static final Table<?> GROUP = table(unquotedName("gim_group"));
  static final Field<Long> GROUP_ID =
      field(unquotedName("gim_group", "id"), SQLDataType.BIGINT.identity(true));
  static final Field<String> GROUP_NAME =
      field(unquotedName("gim_group", "name"), SQLDataType.VARCHAR);
  static final Field<String> GROUP_AVATAR =
      field(unquotedName("gim_group", "avatar_url"), SQLDataType.VARCHAR);
  static final Field<String> GROUP_INTRO =
      field(unquotedName("gim_group", "introduction"), SQLDataType.VARCHAR);
  static final Field<String> GROUP_EXTRA =
      field(unquotedName("gim_group", "extra"), SQLDataType.VARCHAR);

  static final Table<?> MEMBER = table(unquotedName("gim_group_member"));
  static final Field<Long> MEMBER_GROUP =
      field(unquotedName("gim_group_member", "group_id"), SQLDataType.BIGINT);
  static final Field<Long> MEMBER_USER =
      field(unquotedName("gim_group_member", "user_id"), SQLDataType.BIGINT);
  static final Field<String> MEMBER_NICKNAME =
      field(unquotedName("gim_group_member", "nickname"), SQLDataType.VARCHAR);
  static final Field<Integer> MEMBER_TYPE =
      field(unquotedName("gim_group_member", "member_type"), SQLDataType.INTEGER);
  static final Field<Integer> MEMBER_STATUS =
      field(unquotedName("gim_group_member", "member_status"), SQLDataType.INTEGER);
  static final Field<String> MEMBER_EXTRA =
      field(unquotedName("gim_group_member", "extra"), SQLDataType.VARCHAR);

  static final Table<?> DEVICE = table(unquotedName("gim_device"));
  static final Field<Long> DEVICE_ID =
      field(unquotedName("gim_device", "id"), SQLDataType.BIGINT.identity(true));
  static final Field<Long> DEVICE_USER =
      field(unquotedName("gim_device", "user_id"), SQLDataType.BIGINT);
  static final Field<Integer> DEVICE_TYPE =
      field(unquotedName("gim_device", "device_type"), SQLDataType.INTEGER);
  static final Field<String> DEVICE_BRAND =
      field(unquotedName("gim_device", "brand"), SQLDataType.VARCHAR);
  static final Field<String> DEVICE_MODEL =
      field(unquotedName("gim_device", "model"), SQLDataType.VARCHAR);
  static final Field<String> DEVICE_SYSTEM =
      field(unquotedName("gim_device", "system_version"), SQLDataType.VARCHAR);
  static final Field<String> DEVICE_SDK =
      field(unquotedName("gim_device", "sdk_version"), SQLDataType.VARCHAR);
  static final Field<String> DEVICE_PUSH =
      field(unquotedName("gim_device", "push_id"), SQLDataType.VARCHAR);
}
