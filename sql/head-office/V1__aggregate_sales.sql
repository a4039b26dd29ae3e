-- Head office schema: every branch's sales, applied idempotently from the branches' change messages.

CREATE TABLE sale (
    branch_id   VARCHAR(32)    NOT NULL,
    sale_id     CHAR(36) CHARACTER SET ascii NOT NULL,
    sale_date   DATE           NOT NULL,
    region      VARCHAR(64)    NOT NULL,
    product     VARCHAR(128)   NOT NULL,
    qty         INT            NOT NULL,
    cost        DECIMAL(12, 2) NOT NULL,
    amt         DECIMAL(14, 2) NOT NULL,
    tax         DECIMAL(14, 2) NOT NULL,
    total       DECIMAL(14, 2) NOT NULL,
    version     BIGINT         NOT NULL COMMENT 'only a higher version replaces a row',
    deleted     BOOLEAN        NOT NULL COMMENT 'tombstone: a deleted sale stays so that older changes cannot revive it',
    branch_seq  BIGINT         NOT NULL COMMENT 'branch outbox seq of the applied version',
    applied_at  TIMESTAMP(3)   NOT NULL,
    PRIMARY KEY (branch_id, sale_id),
    KEY idx_sale_date (sale_date),
    KEY idx_sale_branch_date (branch_id, deleted, sale_date)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Per branch: the highest outbox sequence applied, written in the same transaction as the sales.
CREATE TABLE branch_progress (
    branch_id        VARCHAR(32)  NOT NULL,
    last_seq         BIGINT       NOT NULL,
    applied_changes  BIGINT       NOT NULL,
    last_message_at  TIMESTAMP(3) NOT NULL COMMENT 'when the branch committed the newest applied change',
    last_applied_at  TIMESTAMP(3) NOT NULL,
    PRIMARY KEY (branch_id)
) ENGINE = InnoDB;

-- What the consumer sent to the dead-letter queue, and why.
CREATE TABLE dead_letter_log (
    id            BIGINT       NOT NULL AUTO_INCREMENT,
    received_at   TIMESTAMP(3) NOT NULL,
    routing_key   VARCHAR(255) NULL,
    message_id    VARCHAR(255) NULL,
    claimed_branch VARCHAR(32) NULL,
    reason        VARCHAR(1000) NOT NULL,
    PRIMARY KEY (id),
    KEY idx_dead_letter_branch (claimed_branch)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
