-- GIM for Java, JDBC store schema version 1 (MariaDB 10.5+ and MySQL 8; InnoDB, utf8mb4).
-- Times are Unix milliseconds in BIGINT columns, the same on every database.

CREATE TABLE gim_meta (
  id    INT    NOT NULL PRIMARY KEY,
  epoch BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE gim_message (
  id               BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  created_at       BIGINT NOT NULL,
  sender_user_id   BIGINT NOT NULL,
  sender_device_id BIGINT NOT NULL,
  command          INT    NOT NULL,
  content          LONGBLOB NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- One row per receiver; the primary key is the inbox order that sync reads.
CREATE TABLE gim_user_message (
  user_id    BIGINT NOT NULL,
  seq        BIGINT NOT NULL,
  message_id BIGINT NOT NULL,
  PRIMARY KEY (user_id, seq)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The row lock on a user's seq row serialises that user's appends (prefix visibility).
CREATE TABLE gim_user_seq (
  user_id BIGINT NOT NULL PRIMARY KEY,
  max_seq BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE gim_device_ack (
  user_id   BIGINT NOT NULL,
  device_id BIGINT NOT NULL,
  ack       BIGINT NOT NULL,
  PRIMARY KEY (user_id, device_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE gim_send_dedupe (
  device_id     BIGINT       NOT NULL,
  client_msg_id VARCHAR(255) NOT NULL,
  message_id    BIGINT       NOT NULL,
  created_at    BIGINT       NOT NULL,
  sender_seq    BIGINT       NOT NULL,
  expires_at    BIGINT       NOT NULL,
  PRIMARY KEY (device_id, client_msg_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX gim_send_dedupe_expires ON gim_send_dedupe (expires_at);

CREATE TABLE gim_group (
  id           BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name         VARCHAR(255)  NOT NULL,
  avatar_url   VARCHAR(1024) NOT NULL,
  introduction TEXT NOT NULL,
  extra        TEXT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE gim_group_member (
  group_id BIGINT        NOT NULL,
  user_id  BIGINT        NOT NULL,
  nickname VARCHAR(255)  NOT NULL,
  member_type   INT      NOT NULL,
  member_status INT      NOT NULL,
  extra    TEXT NOT NULL,
  PRIMARY KEY (group_id, user_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX gim_group_member_user ON gim_group_member (user_id);

CREATE TABLE gim_device (
  id             BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  user_id        BIGINT       NOT NULL,
  device_type    INT          NOT NULL,
  brand          VARCHAR(255) NOT NULL,
  model          VARCHAR(255) NOT NULL,
  system_version VARCHAR(255) NOT NULL,
  sdk_version    VARCHAR(255) NOT NULL,
  push_id        VARCHAR(255) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX gim_device_user ON gim_device (user_id, id);
