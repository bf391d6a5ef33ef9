-- GIM for Java, JDBC store schema version 3 (PostgreSQL 12+).
-- Device ids are unique only within a user, so a dedupe key is (user, device, client_msg_id):
-- device 7 of two users must not share client message ids. Existing keys take their user from
-- the message they remember (0 where retention already removed it: such a key still expires).
ALTER TABLE gim_send_dedupe ADD COLUMN user_id BIGINT NOT NULL DEFAULT 0;
UPDATE gim_send_dedupe d SET user_id = m.sender_user_id FROM gim_message m WHERE m.id = d.message_id;
ALTER TABLE gim_send_dedupe DROP CONSTRAINT gim_send_dedupe_pkey;
ALTER TABLE gim_send_dedupe ADD PRIMARY KEY (user_id, device_id, client_msg_id);
