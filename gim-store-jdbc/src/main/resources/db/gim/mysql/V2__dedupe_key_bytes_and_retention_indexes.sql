-- GIM for Java, JDBC store schema version 2 (MariaDB 10.5+ and MySQL 8).
-- utf8mb4_bin is a PAD SPACE collation: 'x' and 'x ' compared equal, so two different client
-- message ids were one dedupe key. Bytes compare exactly. 255 characters take at most 1020 bytes.
ALTER TABLE gim_send_dedupe MODIFY client_msg_id VARBINARY(1020) NOT NULL;

-- Inbox retention purges the oldest messages first, then their inbox rows.
CREATE INDEX gim_message_created ON gim_message (created_at);
CREATE INDEX gim_user_message_message ON gim_user_message (message_id);
