-- The head-office processes that consume the queue: any number run, one consumes (the queue has a
-- single active consumer), the others stand by. Each process writes its own row every few seconds;
-- active_at is when it last knew itself to be the active consumer. Status reads who is active and
-- how many stand by from here.
CREATE TABLE head_office_process (
    process      VARCHAR(160) NOT NULL COMMENT 'pid@host',
    started_at   TIMESTAMP(3) NOT NULL,
    last_seen_at TIMESTAMP(3) NOT NULL,
    active_at    TIMESTAMP(3) NULL COMMENT 'when it last was the active consumer',
    PRIMARY KEY (process),
    KEY idx_head_office_process_seen (last_seen_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
