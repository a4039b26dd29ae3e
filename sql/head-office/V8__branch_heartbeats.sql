-- The latest heartbeat of each branch: its relay runs, and what it knows of its own backlog. One row
-- per branch, replaced by each heartbeat (one upsert; several that arrive together are written as
-- the newest alone). received_at is the head office's clock, sent_at the branch's;
-- previous_last_seq is last_seq of the heartbeat before, so that a backlog that outlasts a whole
-- interval is told from changes still on their way. Health reads the whole table in one query.
CREATE TABLE branch_heartbeat (
    branch_id         VARCHAR(32)  NOT NULL,
    received_at       TIMESTAMP(3) NOT NULL COMMENT 'head-office clock',
    sent_at           TIMESTAMP(3) NOT NULL COMMENT 'branch clock',
    last_seq          BIGINT       NOT NULL COMMENT 'highest sequence number written to its outbox',
    previous_last_seq BIGINT       NOT NULL COMMENT 'last_seq of the heartbeat before, 0 when none',
    unconfirmed       BIGINT       NOT NULL COMMENT 'outbox changes the broker had not confirmed',
    interval_seconds  INT          NOT NULL,
    PRIMARY KEY (branch_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
