-- GIM for Java, JDBC store schema version 3 (MariaDB 10.5+ and MySQL 8).
-- Device ids are unique only within a user, so a dedupe key is (user, device, client_msg_id):
-- device 7 of two users must not share client message ids. Existing keys take their user from
-- the message they remember (0 where retention already removed it: such a key still expires).
ALTER TABLE gim_send_dedupe ADD COLUMN user_id BIGINT NOT NULL DEFAULT 0 FIRST;
UPDATE gim_send_dedupe d LEFT JOIN gim_message m ON m.id = d.message_id
  SET d.user_id = COALESCE(m.sender_user_id, 0);
ALTER TABLE gim_send_dedupe DROP PRIMARY KEY, ADD PRIMARY KEY (user_id, device_id, client_msg_id);
