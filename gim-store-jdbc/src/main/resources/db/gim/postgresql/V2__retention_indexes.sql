-- GIM for Java, JDBC store schema version 2 (PostgreSQL 12+).
-- Inbox retention purges the oldest messages first, then their inbox rows.
CREATE INDEX gim_message_created ON gim_message (created_at);
CREATE INDEX gim_user_message_message ON gim_user_message (message_id);
